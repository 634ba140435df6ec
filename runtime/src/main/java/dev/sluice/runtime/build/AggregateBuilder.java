package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.AggregateState;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.EmitMode;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.GroupRowsTable;
import org.apache.kafka.streams.kstream.internals.HeapGroupAggregate;
import dev.sluice.runtime.operator.GroupResultProcessor;
import dev.sluice.runtime.operator.ChangedRows;
import dev.sluice.runtime.operator.ConstantSortKeys;
import dev.sluice.runtime.operator.DistinctValues;
import dev.sluice.runtime.operator.LateRecordGuard;
import dev.sluice.runtime.operator.ListElements;
import dev.sluice.runtime.operator.ListElementsReader;
import dev.sluice.runtime.operator.SessionLateRecordGuard;
import dev.sluice.runtime.operator.SessionDistinctValues;
import dev.sluice.runtime.operator.MultisetValues;
import dev.sluice.runtime.operator.ValueCounts;
import dev.sluice.runtime.operator.SessionWindowAggregate;
import dev.sluice.runtime.operator.SessionCollections;
import dev.sluice.runtime.operator.SessionStateFormat;
import dev.sluice.runtime.operator.OpenSessions;
import dev.sluice.runtime.operator.PaneWindowAggregate;
import dev.sluice.runtime.operator.WindowPanes;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;

/**
 * GROUP BY as the Kafka Streams DSL does it: groupByKey (the input is already keyed by the group
 * key), optionally windowedBy, aggregate into one store named {@code <step>-store}; EMIT FINAL adds
 * suppress(untilWindowCloses) so each window yields exactly one row once the watermark (stream time
 * minus grace) passes its end. SESSION windows are Sluice's own operator instead
 * ({@link SessionWindowAggregate} over {@link OpenSessions}' store, same name): the same rows, one
 * store entry per key rather than one per session. TUMBLE and HOP windows with EMIT FINAL whose
 * calls merge exactly run as {@link PaneWindowAggregate} over {@link WindowPanes}' store (same
 * name): one pane write per record instead of a window-store write and a suppress-buffer write per
 * window the record falls in, the same rows.
 */
final class AggregateBuilder {
    private AggregateBuilder() {
    }

    static Built build(AggregateStep written, Built input, BuildContext ctx) {
        // ARRAY_AGG(x ORDER BY <constant>) lists in arrival order: run as ARRAY_AGG(x), whose elements
        // live in a store, not the value (state format 21)
        boolean keysDropped = ConstantSortKeys.dropsAny(written.calls());
        AggregateStep step = ConstantSortKeys.normalize(written);
        if (step.kind() == AggregateStep.Kind.TABLE) {
            return TableAggregateBuilder.build(step, (Built.Table) input, ctx, keysDropped);
        }
        int keyWidth = step.groupKeys().size();
        Serde<Row> keySerde = ctx.serdes.internal(new dev.sluice.serdes.row.Schema(
                step.keySchema().columns().subList(0, keyWidth)));
        KStream<Row, Row> stream = input.asStream(step.name());
        if (step.window().map(WindowSpec::processingTime).orElse(false)) {
            return ProcessingTimeWindowBuilder.build(step, stream, keySerde, ctx, keysDropped);
        }
        if (step.kind() == AggregateStep.Kind.STREAM && DistinctValues.appliesBesideMultisets(step.calls())) {
            return distinctInStore(step, stream, keySerde, ctx, keysDropped);
        }
        boolean sessionDistinct = step.window().isPresent()
                && step.window().get().kind() == WindowSpec.Kind.SESSION
                && SessionDistinctValues.applies(step.calls());
        boolean windowDistinct = sessionDistinct || step.window().isPresent()
                && DistinctValues.appliesToWindow(step.calls(), step.window().get());
        boolean multisets = multisetsInStore(step);
        // a session aggregate keeps percentiles, TOPK and ARRAY_AGG per session in <step>-values-store
        boolean sessionCollections = SessionCollections.applies(step);
        boolean resultsColumn = multisets || sessionCollections && SessionCollections.hasMultisets(step.calls());
        int width = step.input().schema().size();
        Aggregation aggregation = Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, windowDistinct ? width : -1, resultsColumn ? width + (windowDistinct ? 1 : 0) : -1,
                multisets);
        if (keysDropped) {
            aggregation.tagConstantListsBeside();
        }
        // a windowed aggregate reads an append-only stream
        boolean listsInStore = ListElements.applies(step);
        if (listsInStore) {
            ListElements.keepListsInStore(step.calls(), aggregation, step.window().isPresent());
        }
        if (sessionCollections) {
            SessionCollections.prepare(step.calls(), aggregation);
        }
        if (step.window().isPresent() && step.window().get().kind() == WindowSpec.Kind.SESSION) {
            // DISTINCT calls the distinct store cannot merge keep their set in the state
            // (APPROX_COUNT_DISTINCT's sketch needs none), with or without the distinct store
            SessionDistinctValues.prepare(step.calls(), aggregation);
        }
        SessionCollections.Plan collections = sessionCollections
                ? new SessionCollections.Plan(SessionCollections.storeName(step.name()), step.calls()) : null;
        dev.sluice.serdes.row.Schema marked = windowDistinct ? markedSchema(step) : step.input().schema();
        Serde<Row> valueSerde = ctx.serdes.internal(multisets ? withResults(marked) : marked);
        if (step.window().isPresent() && ctx.options.endOfTimeHeartbeats()) {
            stream = EndOfTime.mergeInto(stream, step.name(), keyWidth, ctx);
        }
        if (step.window().isPresent()) {
            // Late records leave here, through the processing exception handler, instead of
            // vanishing inside the aggregate. A session guard reads the aggregate's session store:
            // whether a late record still merges into an open session depends on it.
            WindowSpec window = step.window().get();
            if (window.kind() == WindowSpec.Kind.SESSION) {
                ctx.streams.addStateStore(OpenSessions.store(step.name() + "-store", ctx.options.stateBackend()));
                stream = stream.processValues(
                        () -> new SessionLateRecordGuard(window, step.name() + "-store", keySerde),
                        Named.as(step.name() + "-late-guard"), step.name() + "-store");
            } else {
                stream = stream.processValues(() -> new LateRecordGuard(window), Named.as(step.name() + "-late-guard"));
            }
        }
        if (sessionDistinct) {
            // after the late guard, which drops what the aggregate would; it reads the aggregate's
            // session store to learn which sessions a record merges
            WindowSpec window = step.window().get();
            ctx.streams.addStateStore(SessionDistinctValues.store(step.name(), ctx.options.stateBackend()));
            stream = stream.processValues(
                    () -> SessionDistinctValues.of(step.name(), step.calls(), aggregation, keySerde, window),
                    Named.as(step.name() + "-distinct"), DistinctValues.storeName(step.name()), step.name() + "-store");
        } else if (windowDistinct) {
            // after the late guard: a late record must not mark its value as seen
            WindowSpec window = step.window().get();
            ctx.streams.addStateStore(DistinctValues.windowStore(step.name(), window, ctx.options.stateBackend()));
            // A tumbling window holds each record once: one bit per call. Hopping and cumulating
            // windows hold it several times: one bit set per window, visited as the aggregate does.
            stream = stream.processValues(
                    () -> window.kind() == WindowSpec.Kind.TUMBLE
                            ? DistinctValues.of(step.name(), step.calls(), aggregation, keySerde, window.sizeMs())
                            : DistinctValues.of(step.name(), step.calls(), aggregation, keySerde, windowsOf(window)),
                    Named.as(step.name() + "-distinct"), DistinctValues.storeName(step.name()));
        }
        if (multisets) {
            stream = withMultisetValues(step, stream, aggregation, keySerde, ctx);
        }
        String elementsStore = ListElements.storeName(step.name());
        boolean emitChanges = step.emit() == EmitMode.CHANGES;
        if (listsInStore) {
            // after the late guard: a late record adds no element
            var windows = step.window().map(AggregateBuilder::windowsOf).orElse(null);
            ctx.streams.addStateStore(ListElements.store(step.name(), ctx.options.stateBackend()));
            stream = stream.processValues(
                    () -> ListElements.of(step.name(), step.calls(), aggregation, keySerde, windows, emitChanges),
                    Named.as(step.name() + "-elements"), elementsStore);
            if (windows != null) {
                ctx.storeConnections.put(step.name() + "-result", elementsStore);
            }
        }
        WindowSpec window = step.window().orElse(null);
        KStream<Windowed<Row>, AggregateState> results;
        if (window != null && window.kind() == WindowSpec.Kind.SESSION) {
            // the plan repartitioned by the group key already (a rekey step): no groupByKey needed
            if (collections != null) {
                ctx.streams.addStateStore(SessionCollections.store(step.name(), ctx.options.stateBackend()));
                ctx.storeConnections.put(step.name() + "-result", collections.storeName());
            }
            // the operator deletes a session's entries in the collections' and distinct stores when it drops it
            SessionDistinctValues.Plan distinct = sessionDistinct ? SessionDistinctValues.Plan.of(step.name(), step.calls())
                    : null;
            java.util.List<String> stores = new java.util.ArrayList<>(java.util.List.of(step.name() + "-store"));
            if (collections != null) {
                stores.add(collections.storeName());
            }
            if (distinct != null) {
                stores.add(distinct.storeName());
            }
            results = stream.process(() -> new SessionWindowAggregate(step.name() + "-store", aggregation, keySerde,
                    window, step.emit() == EmitMode.FINAL, collections, distinct, SessionStateFormat.version(step.calls())),
                    Named.as(step.name() + "-aggregate"), stores.toArray(String[]::new));
        } else if (panePath(step, ctx.options)) {
            // the plan repartitioned by the group key already (a rekey step): no groupByKey needed;
            // through partials when the re-key pre-aggregated (PanePreAggregateBuilder)
            boolean partials = PanePreAggregateBuilder.readsPartials(written, ctx);
            ctx.streams.addStateStore(WindowPanes.store(step.name() + "-store", ctx.options.stateBackend()));
            results = stream.process(() -> new PaneWindowAggregate(step.name() + "-store", aggregation, keySerde, window,
                            partials),
                    Named.as(step.name() + "-aggregate"), step.name() + "-store");
        } else {
            KGroupedStream<Row, Row> grouped = stream.groupByKey(
                    Grouped.with(step.name() + "-groupby", keySerde, valueSerde));
            if (window == null) {
                Built.Table result = (Built.Table) groupTable(step, grouped, aggregation, keySerde, ctx,
                        listsInStore ? elementsStore : null);
                return new Built.Table(EmptyInputRow.addTo(result.table(), step, aggregation, ctx));
            }
            results = timeWindows(step, grouped, aggregation, keySerde, window, ctx.options);
        }
        if (ctx.options.endOfTimeHeartbeats()) {
            results = results.filter((k, v) -> k.window().start() < EndOfTime.WINDOW_THRESHOLD,
                    Named.as(step.name() + "-end-of-time-filter"));
        }
        // ksqlDB's session ends at its last event, as Kafka Streams' does.
        long sessionGap = window.kind() == WindowSpec.Kind.SESSION && !window.ksql() ? window.sizeMs() : 0;
        boolean ksql = window.ksql();
        CumulativeWindows cumulative = window.kind() == WindowSpec.Kind.CUMULATE
                ? new CumulativeWindows(window.advanceMs(), window.sizeMs(), window.graceMs()) : null;
        // Each result row is stamped with Flink's window_time (window end - 1 ms), so that an
        // aggregate over these rows (a coarser window, LAG) sees the event time Flink would.
        KStream<Row, Row> rows = results.process(() -> new ContextualProcessor<Windowed<Row>, AggregateState, Row, Row>() {
            /** ARRAY_AGG elements kept in {@link ListElements}' store, else null. */
            private ListElementsReader elements;
            /** Session ARRAY_AGG elements kept in {@link SessionCollections}' store, else null. */
            private SessionCollections sessionElements;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Row, Row> context) {
                super.init(context);
                if (listsInStore) {
                    elements = ListElementsReader.of(context.getStateStore(elementsStore), step.name(), step.calls(),
                            keySerde, emitChanges);
                }
                if (collections != null) {
                    sessionElements = collections.open(context.getStateStore(collections.storeName()), aggregation);
                }
            }

            private void forward(Record<Windowed<Row>, AggregateState> record, Row key, Row row, long timestamp) {
                context().forward(record.withKey(key).withValue(row).withTimestamp(timestamp));
            }

            @Override
            public void process(Record<Windowed<Row>, AggregateState> record) {
                Windowed<Row> wk = record.key();
                if (record.value() == null) {
                    // EMIT CHANGES: a session merged into a larger one is deleted under its own key
                    // (ksqlDB's key carries the window's end too).
                    Object[] key = new Object[keyWidth + (ksql ? 2 : 1)];
                    copyKey(wk.key(), key);
                    key[keyWidth] = wk.window().start();
                    if (ksql) {
                        key[keyWidth + 1] = wk.window().end();
                    }
                    forward(record, new Row(key), null, record.timestamp());
                    return;
                }
                Object[] out = aggregation.results(record.value(), keyWidth + 2);
                if (elements != null) {
                    elements.fill(wk, record.value(), out, keyWidth + 2);
                }
                if (sessionElements != null) {
                    sessionElements.fill(keySerde.serializer().serialize(step.name() + "-store", wk.key()),
                            wk.window().start(), wk.window().end(), out, keyWidth + 2);
                }
                copyKey(wk.key(), out);
                // Flink's SESSION_END is the last event plus the gap; Kafka Streams' session end is the
                // last event. CUMULATE windows are stored under synthetic starts (see CumulativeWindows).
                long start = cumulative != null ? cumulative.realStart(wk.window().start()) : wk.window().start();
                long end = cumulative != null ? cumulative.realEnd(wk.window().start()) : wk.window().end() + sessionGap;
                out[keyWidth] = start;
                out[keyWidth + 1] = end;
                // ksqlDB's sink writes the whole window into the record key, so the key carries its end too.
                Object[] key = new Object[keyWidth + (ksql ? 2 : 1)];
                copyKey(wk.key(), key);
                key[keyWidth] = start;
                if (ksql) {
                    key[keyWidth + 1] = end;
                }
                forward(record, new Row(key), new Row(out), ksql ? record.timestamp() : end - 1);
            }
        }, Named.as(step.name() + "-result"));
        if (step.emit() == EmitMode.CHANGES) {
            // Every update of a window replaces its row: a table keyed by the group key and window start
            // (and, in ksqlDB's dialect, the window end its sink writes into the record key).
            dev.sluice.serdes.row.Schema tableKey = step.keySchema();
            if (ksql) {
                java.util.List<dev.sluice.serdes.row.Column> cols = new java.util.ArrayList<>(tableKey.columns());
                cols.add(new dev.sluice.serdes.row.Column("window_end", dev.sluice.serdes.row.ScalarType.BIGINT, false));
                tableKey = new dev.sluice.serdes.row.Schema(cols);
            }
            Serde<Row> tableKeySerde = ctx.serdes.internal(tableKey);
            Serde<Row> rowSerde = ctx.serdes.internal(step.schema());
            String tableStore = step.name() + "-table-store";
            boolean drop = step.unchangedUpdates() == AggregateStep.UnchangedUpdates.DROP;
            // The rows are re-keyed by window: through <step>-to-table-repartition (the topic toTable
            // made before), then ChangedRows, in the sub-topology of the table it reads, drops a row
            // equal to the window's current one (Flink's rule) before the table takes it.
            KStream<Row, Row> changed = rows
                    .repartition(Repartitioned.<Row, Row>as(step.name() + "-to-table")
                            .withKeySerde(tableKeySerde).withValueSerde(rowSerde))
                    .processValues(() -> new ChangedRows(tableStore, drop), Named.as(step.name() + "-changed"));
            ctx.storeConnections.put(step.name() + "-changed", tableStore);
            return new Built.Table(changed.toTable(Named.as(step.name() + "-to-table"),
                    Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(tableStore)
                            .withKeySerde(tableKeySerde).withValueSerde(rowSerde)));
        }
        return new Built.Stream(rows);
    }

    /**
     * A non-windowed GROUP BY of a stream with DISTINCT calls: {@link DistinctValues} keeps their
     * values in {@code <step>-distinct-store} and marks first occurrences, so the aggregate's value
     * holds only plain accumulators.
     */
    private static Built distinctInStore(AggregateStep step, KStream<Row, Row> stream, Serde<Row> keySerde,
                                         BuildContext ctx, boolean keysDropped) {
        dev.sluice.serdes.row.Schema marked = markedSchema(step);
        boolean multisets = multisetsInStore(step);
        int width = step.input().schema().size();
        Aggregation aggregation = Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, width, multisets ? width + 1 : -1, multisets);
        if (keysDropped) {
            aggregation.tagConstantListsBeside();
        }
        // ARRAY_AGG, COLLECT_SET, HISTOGRAM (DISTINCT ones by the marks) beside the state (format 18)
        boolean listsInStore = ListElements.applies(step);
        if (listsInStore) {
            ListElements.keepListsInStore(step.calls(), aggregation, false);
        }
        // one distinct-store entry per group and value (state format 22)
        aggregation.tagDistinctPerValue();
        ctx.streams.addStateStore(DistinctValues.store(step.name(), ctx.options.stateBackend()));
        KStream<Row, Row> withFirsts = stream.processValues(
                () -> DistinctValues.of(step.name(), step.calls(), aggregation, keySerde),
                Named.as(step.name() + "-distinct"), DistinctValues.storeName(step.name()));
        if (multisets) {
            withFirsts = withMultisetValues(step, withFirsts, aggregation, keySerde, ctx);
            marked = withResults(marked);
        }
        String elementsStore = ListElements.storeName(step.name());
        if (listsInStore) {
            // after DistinctValues: a DISTINCT call lists the values it marked first
            boolean emitChanges = step.emit() == EmitMode.CHANGES;
            ctx.streams.addStateStore(ListElements.store(step.name(), ctx.options.stateBackend()));
            withFirsts = withFirsts.processValues(
                    () -> ListElements.of(step.name(), step.calls(), aggregation, keySerde, null, emitChanges),
                    Named.as(step.name() + "-elements"), elementsStore);
        }
        KGroupedStream<Row, Row> grouped = withFirsts.groupByKey(
                Grouped.with(step.name() + "-groupby", keySerde, ctx.serdes.internal(marked)));
        return groupTable(step, grouped, aggregation, keySerde, ctx, listsInStore ? elementsStore : null);
    }

    /**
     * Whether a stream step's PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT calls keep their values in
     * {@code <step>-values-store} ({@link MultisetValues}): not windowed, or time windows (sessions
     * merge, and keep them in the state).
     */
    private static boolean multisetsInStore(AggregateStep step) {
        return Aggregation.multisetsInStore(step.calls(), step.window());
    }

    /** Adds {@code <step>-multisets} ({@link MultisetValues}) with its store before the aggregate. */
    private static KStream<Row, Row> withMultisetValues(AggregateStep step, KStream<Row, Row> stream,
                                                        Aggregation aggregation, Serde<Row> keySerde, BuildContext ctx) {
        ctx.streams.addStateStore(ValueCounts.store(step.name(), ctx.options.stateBackend()));
        var windows = step.window().map(AggregateBuilder::windowsOf).orElse(null);
        // after the late guard and DistinctValues: a late record must not count its value
        return stream.processValues(() -> windows == null
                        ? MultisetValues.of(step.name(), step.calls(), aggregation, keySerde)
                        : MultisetValues.of(step.name(), step.calls(), aggregation, keySerde, windows),
                Named.as(step.name() + "-multisets"), ValueCounts.storeName(step.name()));
    }

    /** A row and {@link MultisetValues}' results (never serialized: no repartition follows). */
    private static dev.sluice.serdes.row.Schema withResults(dev.sluice.serdes.row.Schema schema) {
        return schema.append(new dev.sluice.serdes.row.Column("multiset$results", dev.sluice.serdes.row.ScalarType.BIGINT));
    }

    /** The input row and {@link DistinctValues}' first-occurrence bits. */
    private static dev.sluice.serdes.row.Schema markedSchema(AggregateStep step) {
        return step.input().schema().append(new dev.sluice.serdes.row.Column(
                "distinct$first", dev.sluice.serdes.row.ScalarType.BIGINT));
    }

    /** {@code elementsStore}: {@link ListElements}' store, whose elements fill the rows, or null. */
    private static Built groupTable(AggregateStep step, KGroupedStream<Row, Row> grouped, Aggregation aggregation,
                                    Serde<Row> keySerde, BuildContext ctx, String elementsStore) {
        int keyWidth = step.groupKeys().size();
        boolean rowsFromStates = elementsStore == null && ctx.tableReaders.onlyChanges(step);
        // In place when the table is read by toStream only, which asks for no old values: the DSL hands
        // the aggregator the state it just read (or the initializer's) and nothing else holds it
        // (Aggregation#addInPlace). GroupRowsTable asks for old states, and with the record cache off
        // KStreamAggregate forwards as the old state the very object it passed to the aggregator: that
        // one must stay as it was, so the aggregator works on a copy.
        Aggregator<Row, Row, AggregateState> aggregator = rowsFromStates
                ? (k, v, agg) -> aggregation.add(v, agg)
                : (k, v, agg) -> aggregation.addInPlace(v, agg);
        // With the record cache on, each changed group's state waits on the heap until the commit
        // (HeapGroupAggregate): no serialization per record, one write and one old state per group
        // and commit; the same names, bytes, changelog and rows as grouped.aggregate. The aggregator
        // above is the one Kafka Streams' processor runs with the cache off; the heap path picks
        // add or addInPlace itself (a copy only for a group's first change of a commit interval when
        // old states are read).
        KTable<Row, AggregateState> table = HeapGroupAggregate.aggregate(grouped, aggregation::initial,
                aggregator, aggregation, Named.as(step.name() + "-aggregate"),
                Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                        .withKeySerde(keySerde).withValueSerde(aggregation.serde()));
        if (elementsStore != null) {
            // each emitted row reads its group's elements: once per commit and group with the record cache
            return resultRows(step, table.toStream(Named.as(step.name() + "-to-stream")), context -> {
                ListElementsReader elements = ListElementsReader.of(context.getStateStore(elementsStore), step.name(),
                        step.calls(), keySerde, false);
                return (key, state) -> {
                    Object[] out = aggregation.results(state, keyWidth);
                    elements.fillGroup(key, out, keyWidth);
                    copyKey(key, out);
                    return new Row(out);
                };
            }, keySerde, ctx, false, elementsStore);
        }
        java.util.function.BiFunction<Row, AggregateState, Row> toRow = (key, state) -> {
            Object[] out = aggregation.results(state, keyWidth);
            copyKey(key, out);
            return new Row(out);
        };
        if (rowsFromStates) {
            return rowsFromStates(step, table, toRow, ctx);
        }
        return resultTable(step, table, toRow, keySerde, ctx);
    }

    /**
     * A GROUP BY whose row is a function of its key and state alone, read only as changes
     * ({@link ResultTableReaders}): the rows as a table without {@code <step>-table-store}, each
     * change's replaced row computed from the old state the aggregate sends with the new one
     * ({@link GroupRowsTable}, processor {@code <step>-result}); the same rows as
     * {@link #resultTable}'s, which kept a copy of them to read the previous one back.
     */
    private static Built.Table rowsFromStates(AggregateStep step, KTable<Row, AggregateState> states,
                                              java.util.function.BiFunction<Row, AggregateState, Row> toRow,
                                              BuildContext ctx) {
        boolean drop = step.unchangedUpdates() == AggregateStep.UnchangedUpdates.DROP;
        // an empty state (the initializer's) is no row, as GroupResultProcessor's without emptiedGroupIsRow
        return new Built.Table(GroupRowsTable.of(states, step.name() + "-result",
                (key, state) -> state.isEmpty() ? null : toRow.apply(key, state), drop,
                ctx.serdes.internal(step.schema())));
    }

    /**
     * A non-windowed aggregate's states as the table of its rows: {@code <step>-to-stream}, then
     * {@link GroupResultProcessor} ({@code <step>-result}: an empty state, as the initializer's, is no
     * row; an unchanged row is dropped when the plan says so), then {@code <step>-to-table} into
     * {@code <step>-table-store}, which the result processor reads for each group's previous row.
     */
    static Built.Table resultTable(AggregateStep step, KTable<Row, AggregateState> states,
                                   java.util.function.BiFunction<Row, AggregateState, Row> toRow, Serde<Row> keySerde,
                                   BuildContext ctx) {
        return resultTable(step, states, toRow, keySerde, ctx, false);
    }

    /** As above; {@code emptiedGroupIsRow}: see {@link GroupResultProcessor}. */
    static Built.Table resultTable(AggregateStep step, KTable<Row, AggregateState> states,
                                   java.util.function.BiFunction<Row, AggregateState, Row> toRow, Serde<Row> keySerde,
                                   BuildContext ctx, boolean emptiedGroupIsRow) {
        return resultRows(step, states.toStream(Named.as(step.name() + "-to-stream")), toRow, keySerde, ctx,
                emptiedGroupIsRow);
    }

    /** As above, from a stream of each group's new state (null: the group is gone). */
    static Built.Table resultRows(AggregateStep step, KStream<Row, AggregateState> states,
                                  java.util.function.BiFunction<Row, AggregateState, Row> toRow, Serde<Row> keySerde,
                                  BuildContext ctx, boolean emptiedGroupIsRow) {
        return resultRows(step, states, context -> toRow, keySerde, ctx, emptiedGroupIsRow);
    }

    /**
     * As above, with the row function made per task from the result processor's context, which
     * reaches {@code stores} (beside {@code <step>-table-store}).
     */
    static Built.Table resultRows(AggregateStep step, KStream<Row, AggregateState> states,
                                  GroupResultProcessor.RowFunction toRow, Serde<Row> keySerde, BuildContext ctx,
                                  boolean emptiedGroupIsRow, String... stores) {
        String store = step.name() + "-table-store";
        boolean drop = step.unchangedUpdates() == AggregateStep.UnchangedUpdates.DROP;
        KStream<Row, Row> rows = states
                .processValues(() -> new GroupResultProcessor(toRow, store, drop, emptiedGroupIsRow),
                        Named.as(step.name() + "-result"), stores);
        ctx.storeConnections.put(step.name() + "-result", store);
        return new Built.Table(rows.toTable(Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(store)
                        .withKeySerde(keySerde).withValueSerde(ctx.serdes.internal(step.schema()))));
    }

    /** Whether the step runs as {@link PaneWindowAggregate} (with these build options). */
    static boolean panePath(AggregateStep step, BuildOptions options) {
        return WindowPanes.applies(step) && !closeEmits(step, options);
    }

    private static KStream<Windowed<Row>, AggregateState> timeWindows(AggregateStep step,
            KGroupedStream<Row, Row> grouped, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window,
            BuildOptions options) {
        var windowed = grouped.windowedBy(windowsOf(window));
        if (closeEmits(step, options)) {
            windowed = windowed.emitStrategy(EmitStrategy.onWindowClose());
        }
        // ksqlDB's EMIT FINAL keeps Kafka Streams' retention (size + grace): the windows it emits
        // depend on it (see closeEmits)
        Duration retention = ksqlFinal(step, options) ? WindowStoreRetention.exact(window) : WindowStoreRetention.of(window);
        KTable<Windowed<Row>, AggregateState> table = windowed.aggregate(aggregation::initial,
                (k, v, agg) -> aggregation.add(v, agg), Named.as(step.name() + "-aggregate"),
                Materialized.<Row, AggregateState, WindowStore<Bytes, byte[]>>as(step.name() + "-store")
                        .withKeySerde(keySerde).withValueSerde(aggregation.serde())
                        .withRetention(retention));
        return emit(step, table, options);
    }

    /** The Kafka Streams windows of a time window (not a session). */
    private static org.apache.kafka.streams.kstream.Windows<org.apache.kafka.streams.kstream.internals.TimeWindow>
            windowsOf(WindowSpec window) {
        return window.kind() == WindowSpec.Kind.CUMULATE
                ? new CumulativeWindows(window.advanceMs(), window.sizeMs(), window.graceMs())
                : timeWindows(window);
    }

    private static TimeWindows timeWindows(WindowSpec window) {
        TimeWindows windows = TimeWindows.ofSizeAndGrace(Duration.ofMillis(window.sizeMs()),
                Duration.ofMillis(window.graceMs()));
        return window.kind() == WindowSpec.Kind.HOP ? windows.advanceBy(Duration.ofMillis(window.advanceMs())) : windows;
    }

    /**
     * EMIT FINAL by the aggregate itself (emitStrategy) rather than by a suppress operator after it:
     * when asked (benchmarks), and for ksqlDB's EMIT FINAL over a time window, which is built so.
     */
    private static boolean closeEmits(AggregateStep step, BuildOptions options) {
        return step.emit() == EmitMode.FINAL && options.finalEmit() == BuildOptions.FinalEmit.WINDOW_CLOSE
                || ksqlFinal(step, options);
    }

    /**
     * ksqlDB's EMIT FINAL over a tumbling or hopping window: the aggregate's emitStrategy(onWindowClose()),
     * as ksqlDB builds it, whose rows differ from suppress(untilWindowCloses): after each record
     * whose stream time moves the close time (stream time - grace) past the last emission, it
     * emits, for every key of the task, the windows that closed since, but only those that start
     * no earlier than (the latest window start stored - size - grace), the store's retention: a
     * window that closed while stream time jumped further than that past it is never emitted.
     * Replay keeps suppress: its end-of-time record would put a far-future window into the store
     * and so cut every window still to emit.
     */
    private static boolean ksqlFinal(AggregateStep step, BuildOptions options) {
        return step.emit() == EmitMode.FINAL && !options.endOfTimeHeartbeats()
                && step.window().map(w -> w.ksql() && (w.kind() == WindowSpec.Kind.TUMBLE
                        || w.kind() == WindowSpec.Kind.HOP) && !w.processingTime()).orElse(false);
    }

    private static KStream<Windowed<Row>, AggregateState> emit(AggregateStep step,
            KTable<Windowed<Row>, AggregateState> table, BuildOptions options) {
        if (step.emit() == EmitMode.FINAL && !closeEmits(step, options)) {
            table = table.suppress(Suppressed.<Windowed<Row>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                    .withName(step.name() + "-suppress"));
        }
        KStream<Windowed<Row>, AggregateState> changes = table.toStream(Named.as(step.name() + "-to-stream"));
        if (step.emit() == EmitMode.CHANGES || step.window().map(WindowSpec::ksql).orElse(false)) {
            // A merged-away session arrives as a tombstone: downstream must retract it (ksqlDB deletes it).
            return changes;
        }
        // Final rows only: a merged-away session was never emitted, so its tombstone is not a row.
        return changes.filter((k, v) -> v != null, Named.as(step.name() + "-drop-tombstones"));
    }

    static void copyKey(Row key, Object[] out) {
        for (int i = 0; i < key.size(); i++) {
            out[i] = key.get(i);
        }
    }
}

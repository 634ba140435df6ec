package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.JoinEventTimeProcessor;
import dev.sluice.runtime.operator.JoinArrivals;
import dev.sluice.runtime.operator.JoinRowStores;
import dev.sluice.runtime.operator.RegularInnerJoinProcessor;
import dev.sluice.runtime.operator.RegularOuterJoinProcessor;
import dev.sluice.runtime.operator.ThreeWayInnerJoinProcessor;

import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.JoinTiming;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import dev.sluice.runtime.expr.Evaluator;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.StreamJoined;

import java.time.Duration;

/**
 * Joins. Inputs arrive keyed by the join key (the planner re-keys where needed). The joined value is
 * the left columns followed by the right columns; a missing side is all NULLs (outer joins).
 */
final class JoinBuilder {
    private JoinBuilder() {
    }

    static Built streamTable(StreamTableJoinStep step, Built left, Built right, BuildContext ctx) {
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        KStream<Row, Row> stream = left.asStream(step.name() + "-left");
        if (right instanceof Built.GlobalTable global) {
            return streamGlobalTable(step, stream, global.table(), ctx);
        }
        KTable<Row, Row> table = ((Built.Table) right).table();
        Joined<Row, Row, Row> joined = Joined.<Row, Row, Row>as(step.name() + "-join")
                .withKeySerde(ctx.serdes.internal(step.left().keySchema()))
                .withValueSerde(ctx.serdes.internal(step.left().schema()))
                .withOtherValueSerde(ctx.serdes.internal(step.right().schema()));
        KStream<Row, Row> out = step.type() == JoinType.INNER
                ? stream.join(table, (l, r) -> concat(l, r, leftWidth, rightWidth), joined)
                : stream.leftJoin(table, (l, r) -> concat(l, r, leftWidth, rightWidth), joined);
        return new Built.Stream(out);
    }

    /** No repartition: each stream row computes the table key it looks up. A NULL key part matches nothing. */
    private static Built streamGlobalTable(StreamTableJoinStep step, KStream<Row, Row> stream,
                                           GlobalKTable<Row, Row> table, BuildContext ctx) {
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        Evaluator[] key = ctx.compiler.compileAll(step.globalKey());
        KeyValueMapper<Row, Row, Row> lookup = (k, v) -> {
            Object[] parts = new Object[key.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = key[i].evaluate(v);
                if (parts[i] == null) {
                    return null;
                }
            }
            return new Row(parts);
        };
        ValueJoiner<Row, Row, Row> joiner = (l, r) -> concat(l, r, leftWidth, rightWidth);
        Named named = Named.as(step.name() + "-join");
        KStream<Row, Row> out = step.type() == JoinType.INNER
                ? stream.join(table, lookup, joiner, named)
                : stream.leftJoin(table, lookup, joiner, named);
        return new Built.Stream(out);
    }

    static Built streamStream(StreamStreamJoinStep step, Built left, Built right, BuildContext ctx) {
        if (step.retracting()) {
            return regularOuter(step, left, right, ctx);
        }
        if (step.regular()) {
            return regularInner(step, left, right, ctx);
        }
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        JoinWindows windows = windows(step);
        StreamJoined<Row, Row, Row> joined = StreamJoined.<Row, Row, Row>with(
                        ctx.serdes.internal(step.left().keySchema()),
                        ctx.serdes.internal(step.left().schema()),
                        ctx.serdes.internal(step.right().schema()))
                .withName(step.name() + "-join")
                .withStoreName(step.name() + "-store");
        KStream<Row, Row> l = left.asStream(step.name() + "-left");
        KStream<Row, Row> r = right.asStream(step.name() + "-right");
        if (step.timing() == JoinTiming.DROP_LATE) {
            // late records are dropped and accounted for before the join, which would still join them
            // (the left side reaches `after` past its time, the right side `before`)
            IntervalJoinLateGuard.SharedStreamTime time = new IntervalJoinLateGuard.SharedStreamTime();
            l = l.processValues(() -> new IntervalJoinLateGuard("left", step.afterMs(), step.graceMs(), time),
                    Named.as(step.name() + "-left-late-guard"));
            r = r.processValues(() -> new IntervalJoinLateGuard("right", step.beforeMs(), step.graceMs(), time),
                    Named.as(step.name() + "-right-late-guard"));
        }
        // rows padded at once wait for nothing; the heartbeat would be emitted as a padded row itself
        if (step.type() != JoinType.INNER && step.timing() != JoinTiming.PAD_AT_ONCE
                && ctx.options.endOfTimeHeartbeats()) {
            l = l.merge(endOfTime(step, ctx), Named.as(step.name() + "-end-of-time-merge"));
        }
        KStream<Row, Row> out = switch (step.type()) {
            case INNER -> l.join(r, (a, b) -> concat(a, b, leftWidth, rightWidth), windows, joined);
            case LEFT -> l.leftJoin(r, (a, b) -> concat(a, b, leftWidth, rightWidth), windows, joined);
            case FULL -> l.outerJoin(r, (a, b) -> concat(a, b, leftWidth, rightWidth), windows, joined);
        };
        if (step.leftRowtime() >= 0) {
            out = out.processValues(() -> new JoinEventTimeProcessor(step.leftRowtime(), step.rightRowtime()),
                    Named.as(step.name() + "-event-time"));
        }
        return new Built.Stream(out);
    }

    /**
     * Grace-aware windows (Flink, and ksqlDB with a GRACE PERIOD): an outer join pads a row only once
     * its interval plus grace has passed, so a match arriving late (but within grace) never follows a
     * spurious NULL-padded row. ksqlDB without a GRACE PERIOD asks for Kafka Streams' legacy windows,
     * which pad at once and join again on a match; their grace is the planner's (24 h less twice the
     * interval, as {@code JoinWindows.of} computes it).
     */
    @SuppressWarnings("deprecation") // JoinWindows.of/grace: the legacy semantics ksqlDB still asks for
    private static JoinWindows windows(StreamStreamJoinStep step) {
        Duration difference = Duration.ofMillis(Math.max(0, Math.max(step.beforeMs(), step.afterMs())));
        JoinWindows base = step.timing() == JoinTiming.PAD_AT_ONCE
                ? JoinWindows.of(difference).grace(Duration.ofMillis(step.graceMs()))
                : JoinWindows.ofTimeDifferenceAndGrace(difference, Duration.ofMillis(step.graceMs()));
        return base.before(Duration.ofMillis(step.beforeMs())).after(Duration.ofMillis(step.afterMs()));
    }

    /**
     * A regular INNER join of two streams: Sluice's own operator over one key-value store per side
     * ({@link RegularInnerJoinProcessor}), named {@code <step>-left-rows-store} and
     * {@code <step>-right-rows-store} (names of their own: the rows' layout is not a window store's,
     * nor the outer join's). With a state TTL, records too late to meet any row are stopped before
     * it by the interval join's late guard, as they were before the window join.
     */
    private static Built regularInner(StreamStreamJoinStep step, Built left, Built right, BuildContext ctx) {
        String leftStore = step.name() + "-left-rows-store";
        String rightStore = step.name() + "-right-rows-store";
        for (String store : java.util.List.of(leftStore, rightStore)) {
            ctx.streams.addStateStore(JoinRowStores.store(store, ctx.options.stateBackend()));
        }
        long ttl = step.stateTtlMs();
        RegularInnerJoinProcessor.Layout layout = new RegularInnerJoinProcessor.Layout(leftStore, rightStore,
                step.left().schema().size(), step.right().schema().size(), step.leftRowtime(), step.rightRowtime(),
                ttl, step.graceMs());
        Serde<Row> keySerde = ctx.serdes.internal(step.left().keySchema());
        Serde<Row> leftSerde = ctx.serdes.internal(step.left().schema());
        Serde<Row> rightSerde = ctx.serdes.internal(step.right().schema());
        KStream<Row, Row> l = left.asStream(step.name() + "-left");
        KStream<Row, Row> r = right.asStream(step.name() + "-right");
        if (ttl > 0) {
            IntervalJoinLateGuard.SharedStreamTime time = new IntervalJoinLateGuard.SharedStreamTime();
            l = l.processValues(() -> new IntervalJoinLateGuard("left", ttl, step.graceMs(), time),
                    Named.as(step.name() + "-left-late-guard"));
            r = r.processValues(() -> new IntervalJoinLateGuard("right", ttl, step.graceMs(), time),
                    Named.as(step.name() + "-right-late-guard"));
        }
        dev.sluice.runtime.operator.JoinStreamTime joinTime = new dev.sluice.runtime.operator.JoinStreamTime();
        JoinRowStores rows = new JoinRowStores();
        KStream<Row, Row> fromLeft = l.process(() -> new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.LEFT,
                layout, keySerde, leftSerde, rightSerde, joinTime, rows), Named.as(step.name() + "-left-join"), leftStore,
                rightStore);
        KStream<Row, Row> fromRight = r.process(() -> new RegularInnerJoinProcessor(
                RegularInnerJoinProcessor.Side.RIGHT, layout, keySerde, rightSerde, leftSerde, joinTime, rows),
                Named.as(step.name() + "-right-join"), leftStore, rightStore);
        return new Built.Stream(fromLeft.merge(fromRight, Named.as(step.name() + "-merge")));
    }

    /**
     * The inner regular join {@code outer} reads as its left input, when the two run as one
     * three-way operator: both INNER and regular without a state TTL, {@code outer}'s left input is the inner join itself (so both are keyed by one join key),
     * and nothing else reads the inner join (its rows are not kept, so no one else could have them).
     */
    static java.util.Optional<StreamStreamJoinStep> threeWayInner(StreamStreamJoinStep outer, BuildContext ctx) {
        if (!ctx.options.threeWayJoins() || !outer.joinsOnWithLeft()
                || ctx.consumers.getOrDefault(outer.left(), 0) != 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of((StreamStreamJoinStep) outer.left());
    }

    /**
     * {@code (first JOIN second) JOIN third}, regular INNER joins on one key, as one operator
     * ({@link ThreeWayInnerJoinProcessor}): each input's rows in the store the binary joins kept them
     * in ({@code <inner>-left-rows-store}, {@code <inner>-right-rows-store},
     * {@code <outer>-right-rows-store}), without {@code <outer>-left-rows-store}, the inner join's
     * rows. The processors keep the binary joins' names ({@code <inner>-left-join},
     * {@code <inner>-right-join}, {@code <outer>-right-join}, {@code <inner>-merge}, {@code <outer>-merge}).
     */
    static Built regularThreeWay(StreamStreamJoinStep outer, StreamStreamJoinStep inner, Built first, Built second,
                                 Built third, BuildContext ctx) {
        String firstStore = inner.name() + "-left-rows-store";
        String secondStore = inner.name() + "-right-rows-store";
        String thirdStore = outer.name() + "-right-rows-store";
        String[] stores = {firstStore, secondStore, thirdStore};
        for (String store : stores) {
            ctx.streams.addStateStore(JoinRowStores.store(store, ctx.options.stateBackend()));
        }
        ThreeWayInnerJoinProcessor.Layout layout = new ThreeWayInnerJoinProcessor.Layout(firstStore, secondStore,
                thirdStore, inner.left().schema().size(), inner.right().schema().size(), outer.right().schema().size(),
                inner.leftRowtime(), inner.rightRowtime(), outer.leftRowtime(), outer.rightRowtime());
        Serde<Row> keySerde = ctx.serdes.internal(inner.left().keySchema());
        Serde<Row> firstSerde = ctx.serdes.internal(inner.left().schema());
        Serde<Row> secondSerde = ctx.serdes.internal(inner.right().schema());
        Serde<Row> thirdSerde = ctx.serdes.internal(outer.right().schema());
        JoinRowStores rows = new JoinRowStores();
        JoinArrivals arrivals = new JoinArrivals();
        java.util.function.Function<ThreeWayInnerJoinProcessor.Input, ThreeWayInnerJoinProcessor> processor =
                input -> new ThreeWayInnerJoinProcessor(input, layout, keySerde, firstSerde, secondSerde, thirdSerde,
                        rows, arrivals);
        KStream<Row, Row> fromFirst = first.asStream(inner.name() + "-left").process(
                () -> processor.apply(ThreeWayInnerJoinProcessor.Input.FIRST), Named.as(inner.name() + "-left-join"),
                stores);
        KStream<Row, Row> fromSecond = second.asStream(inner.name() + "-right").process(
                () -> processor.apply(ThreeWayInnerJoinProcessor.Input.SECOND), Named.as(inner.name() + "-right-join"),
                stores);
        KStream<Row, Row> fromThird = third.asStream(outer.name() + "-right").process(
                () -> processor.apply(ThreeWayInnerJoinProcessor.Input.THIRD), Named.as(outer.name() + "-right-join"),
                stores);
        return new Built.Stream(fromFirst.merge(fromSecond, Named.as(inner.name() + "-merge"))
                .merge(fromThird, Named.as(outer.name() + "-merge")));
    }

    /**
     * A regular LEFT/FULL join of two streams: both sides' rows are kept (for the state TTL, or for
     * good) in two stores shared by one processor per side; the changes they emit (padded rows,
     * their deletions, joined rows) become a table keyed by the join key and the rows' identities.
     */
    private static Built regularOuter(StreamStreamJoinStep step, Built left, Built right, BuildContext ctx) {
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        String leftStore = step.name() + "-left-store";
        String rightStore = step.name() + "-right-store";
        for (String store : java.util.List.of(leftStore, rightStore)) {
            ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store));
        }
        Serde<Row> keySerde = ctx.serdes.internal(step.left().keySchema());
        Serde<Row> leftSerde = ctx.serdes.internal(step.left().schema());
        Serde<Row> rightSerde = ctx.serdes.internal(step.right().schema());
        boolean full = step.type() == JoinType.FULL;
        long ttl = step.beforeMs();
        KStream<Row, Row> l = left.asStream(step.name() + "-left").process(() -> new RegularOuterJoinProcessor(
                        RegularOuterJoinProcessor.Side.LEFT, leftStore, rightStore, true, full, leftWidth, rightWidth,
                        ttl, keySerde, leftSerde, rightSerde),
                Named.as(step.name() + "-left-join"), leftStore, rightStore);
        KStream<Row, Row> r = right.asStream(step.name() + "-right").process(() -> new RegularOuterJoinProcessor(
                        RegularOuterJoinProcessor.Side.RIGHT, rightStore, leftStore, full, true, leftWidth, rightWidth,
                        ttl, keySerde, rightSerde, leftSerde),
                Named.as(step.name() + "-right-join"), leftStore, rightStore);
        KTable<Row, Row> out = l.merge(r, Named.as(step.name() + "-merge")).toTable(Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-table-store")
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema())));
        return new Built.Table(out);
    }

    /**
     * Replay only: an outer join pads a row once stream time passes its interval plus grace, and at
     * the end of a bounded input nothing advances stream time. One far-future record on the left
     * side does, so every row still waiting is padded and emitted, as Flink does at the end of input.
     * The heartbeat itself (a row of NULLs under a key of NULLs) matches nothing and, waiting for a
     * later record that never comes, is never emitted.
     */
    private static KStream<Row, Row> endOfTime(StreamStreamJoinStep step, BuildContext ctx) {
        Row key = new Row(new Object[step.left().keySchema().size()]);
        Row value = new Row(new Object[step.left().schema().size()]);
        return EndOfTime.source(step.name(), EndOfTime.constant(key), EndOfTime.constant(value), ctx);
    }


    static Built tableTable(TableTableJoinStep step, Built left, Built right, BuildContext ctx) {
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        KTable<Row, Row> l = ((Built.Table) left).table();
        KTable<Row, Row> r = ((Built.Table) right).table();
        if (!step.foreignKey().isEmpty()) {
            return foreignKey(step, l, r, ctx);
        }
        Named named = Named.as(step.name() + "-join");
        // Materialized, so that the old row a downstream aggregate subtracts is the row this join
        // last emitted. Unmaterialized, the join computes it as (the updated side's old row) joined
        // with the other side's *current* row; with the record cache on, that current row can be an
        // update not yet forwarded, whose own join result was therefore never emitted: profiles and
        // quotas loaded in one commit made a LEFT JOIN subtract quota-less rows it had never added,
        // and a COUNT over it counted each quota twice (agg_table_join_then_aggregate on a broker).
        // A materialized join forwards with the store's previous row as the old one (with the cache,
        // the row it last flushed).
        Materialized<Row, Row, KeyValueStore<Bytes, byte[]>> store =
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                        .withKeySerde(ctx.serdes.internal(step.left().keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()));
        KTable<Row, Row> out = switch (step.type()) {
            case INNER -> l.join(r, (a, b) -> concat(a, b, leftWidth, rightWidth), named, store);
            case LEFT -> l.leftJoin(r, (a, b) -> concat(a, b, leftWidth, rightWidth), named, store);
            case FULL -> l.outerJoin(r, (a, b) -> concat(a, b, leftWidth, rightWidth), named, store);
        };
        return new Built.Table(out);
    }

    private static Built foreignKey(TableTableJoinStep step, KTable<Row, Row> l, KTable<Row, Row> r,
                                    BuildContext ctx) {
        int leftWidth = step.left().schema().size();
        int rightWidth = step.right().schema().size();
        Evaluator[] key = ctx.compiler.compileAll(step.foreignKey());
        Function<Row, Row> extractor = v -> {
            Object[] parts = new Object[key.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = key[i].evaluate(v);
                if (parts[i] == null) {
                    return null;
                }
            }
            return new Row(parts);
        };
        ValueJoiner<Row, Row, Row> joiner = (a, b) -> concat(a, b, leftWidth, rightWidth);
        if (r instanceof org.apache.kafka.streams.kstream.internals.KTableImpl<?, ?, ?> impl
                && (impl.valueSerde() == null || impl.keySerde() == null)) {
            // The foreign-key join sends right rows back to the left side's tasks in the right
            // table's serdes, which a projected table (mapValues, e.g. a grouped sub-query's select
            // list) does not have: materialize it with Sluice's internal serdes first.
            r = r.mapValues(v -> v, Named.as(step.name() + "-fk-right"),
                    Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-fk-right-store")
                            .withKeySerde(ctx.serdes.internal(step.right().keySchema()))
                            .withValueSerde(ctx.serdes.internal(step.right().schema())));
        }
        if (l instanceof org.apache.kafka.streams.kstream.internals.KTableImpl<?, ?, ?> impl
                && (impl.valueSerde() == null || impl.keySerde() == null)) {
            // The left side's subscriptions carry a hash of its row, serialized with the left table's
            // value serde: a projected left table (seed 001's ml_features, a PostgreSQL table under
            // a CTE's SELECT *) has none, and the subscription processor failed at start ("Please
            // specify a value serde"). Materialize it with Sluice's internal serdes too.
            l = l.mapValues(v -> v, Named.as(step.name() + "-fk-left"),
                    Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-fk-left-store")
                            .withKeySerde(ctx.serdes.internal(step.left().keySchema()))
                            .withValueSerde(ctx.serdes.internal(step.left().schema())));
        }
        TableJoined<Row, Row> named = TableJoined.as(step.name() + "-fk");
        Materialized<Row, Row, KeyValueStore<Bytes, byte[]>> store =
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                        .withKeySerde(ctx.serdes.internal(step.left().keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()));
        KTable<Row, Row> out = step.type() == JoinType.INNER
                ? l.join(r, extractor, joiner, named, store)
                : l.leftJoin(r, extractor, joiner, named, store);
        return new Built.Table(out);
    }

    static Row concat(Row left, Row right, int leftWidth, int rightWidth) {
        Object[] out = new Object[leftWidth + rightWidth];
        for (int i = 0; i < leftWidth && left != null; i++) {
            out[i] = left.get(i);
        }
        for (int i = 0; i < rightWidth && right != null; i++) {
            out[leftWidth + i] = right.get(i);
        }
        return new Row(out);
    }
}

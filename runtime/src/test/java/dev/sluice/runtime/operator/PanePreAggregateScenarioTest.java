package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PanePreAggregate} before {@link PaneWindowAggregate} against the aggregate fed the records
 * themselves: random keys (one a prefix of another), times in and out of order, records late against
 * the stream time (some only for a window of their pane, under HOP), commits at random points, a heap
 * bound of a few partials, and a restart of the aggregate's task. One upstream partition: the ordered
 * rows with their timestamps and the number of records dropped as late must be equal, and partials
 * must really have merged records (fewer records crossed the topic).
 *
 * <p>The upstream task runs in a {@link MockProcessorContext}, so that many records meet between two
 * commits (TopologyTestDriver commits after every record); a commit is {@link PanePreAggregate#forwardAll},
 * what {@link PanePartials#flushCache} calls.
 */
class PanePreAggregateScenarioTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("v", ScalarType.BIGINT)));
    private static final String STORE = "t-aggregate-store";
    private static final Expr V = new Expr.InputRef(1, ScalarType.BIGINT);
    /** COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v), COUNT(*) FILTER (WHERE v > 5). */
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(V), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("SUM", List.of(V), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("MIN", List.of(V), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("MAX", List.of(V), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(), false, Optional.of(new Expr.Call(">", List.of(V,
                    new Expr.Literal(5L, ScalarType.BIGINT)), ScalarType.BOOLEAN)), List.of(), ScalarType.BIGINT));
    private static final String[] KEYS = {"a", "ab", "b", "c", "abc"};

    private static Aggregation aggregation() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return Aggregation.overStream(CALLS, -1, functions, new ExprCompiler(functions), -1, -1);
    }

    /** The aggregate's task: the late guard and the aggregate over the topic's records, rows as text. */
    private static final class AggregateTask implements AutoCloseable {
        final Path stateDir;
        final boolean partials;
        final WindowSpec window;
        final List<String> rows = new ArrayList<>();
        double droppedBefore;
        TopologyTestDriver driver;
        TestInputTopic<Row, Row> in;
        TestOutputTopic<String, String> out;

        AggregateTask(WindowSpec window, boolean partials) throws Exception {
            this.stateDir = Files.createTempDirectory("pane-preaggregate");
            this.partials = partials;
            this.window = window;
            open();
        }

        void open() {
            Aggregation aggregation = aggregation();
            Serde<Row> values = partials ? PanePartial.serde(aggregation) : new BinaryRowSerde(VALUE);
            StreamsBuilder builder = new StreamsBuilder();
            builder.addStateStore(WindowPanes.store(STORE, StateBackend.ROCKSDB));
            builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), values))
                    .processValues(() -> new LateRecordGuard(window), Named.as("t-late-guard"))
                    .process(() -> new PaneWindowAggregate(STORE, aggregation, new BinaryRowSerde(KEY), window, partials),
                            Named.as("t-aggregate"), STORE)
                    .map((k, state) -> org.apache.kafka.streams.KeyValue.pair(k.key().get(0) + "@" + k.window().start()
                            + "-" + k.window().end(), java.util.Arrays.toString(aggregation.results(state, 0))),
                            Named.as("t-result"))
                    .to("out", Produced.with(Serdes.String(), Serdes.String()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pane-preaggregate-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                    org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler.class.getName());
            driver = new TopologyTestDriver(builder.build(), props);
            in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), values.serializer());
            out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
        }

        void pipe(Row key, Row value, long timestamp) {
            in.pipeInput(new TestRecord<>(key, value, null, timestamp));
            for (TestRecord<String, String> r : out.readRecordsToList()) {
                rows.add(r.key() + " " + r.value() + " at " + r.timestamp());
            }
        }

        double dropped() {
            for (var e : driver.metrics().entrySet()) {
                if (e.getKey().name().equals("dropped-records-total") && e.getKey().group().equals("stream-task-metrics")) {
                    Metric metric = e.getValue();
                    return ((Number) metric.metricValue()).doubleValue();
                }
            }
            return 0;
        }

        /** Closes and reopens over the same state directory (the stream time and panes come back from the store). */
        void restart() {
            droppedBefore += dropped();
            driver.close();
            open();
        }

        @Override
        public void close() {
            if (driver != null) {
                droppedBefore += dropped();
                driver.close();
                driver = null;
            }
        }
    }

    /** The upstream task: the pre-aggregation in a mock context, its forwarded partials piped to the aggregate's task. */
    private static final class UpstreamTask {
        final MockProcessorContext<Row, Row> context = new MockProcessorContext<>();
        final PanePreAggregate processor;
        final AggregateTask downstream;
        int forwarded;

        UpstreamTask(WindowSpec window, int maxPartials, AggregateTask downstream) {
            this.downstream = downstream;
            PanePartials store = new PanePartials("t-aggregate-preaggregate-store");
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            processor = new PanePreAggregate("t-aggregate-preaggregate-store", aggregation(), window, maxPartials);
            processor.init(context);
        }

        void process(Row key, Row value, long timestamp) {
            processor.process(new Record<>(key, value, timestamp));
            drain();
        }

        void commit() {
            processor.forwardAll();
            drain();
        }

        private void drain() {
            for (var f : context.forwarded()) {
                Record<? extends Row, ? extends Row> r = f.record();
                downstream.pipe(r.key(), r.value(), r.timestamp());
                forwarded++;
            }
            context.resetForwards();
        }
    }

    @ParameterizedTest(name = "{0} size {1} slide {2} grace {3} seed {4}")
    @CsvSource({
            "TUMBLE, 10000, 10000, 2000, 1",
            "TUMBLE, 10000, 10000, 0, 2",
            "HOP, 10000, 2000, 3000, 3",
            "HOP, 10000, 4000, 1000, 4",
            "HOP, 6000, 4000, 2500, 5"})
    void sameRowsAndLateCountsAsTheRecordsThemselves(WindowSpec.Kind kind, long size, long slide, long grace, long seed)
            throws Exception {
        WindowSpec window = new WindowSpec(kind, size, slide, grace, false, false);
        Random random = new Random(seed);
        try (AggregateTask plain = new AggregateTask(window, false);
             AggregateTask merged = new AggregateTask(window, true)) {
            UpstreamTask upstream = new UpstreamTask(window, 16, merged);
            long time = 1_000_000;
            int records = 600;
            for (int i = 0; i < records; i++) {
                time += random.nextInt(300);
                // now and then far behind: late for some or all windows of its pane
                long ts = random.nextInt(8) == 0 ? time - random.nextInt(3 * (int) size) : time - random.nextInt(500);
                String k = KEYS[random.nextInt(KEYS.length)];
                Long v = random.nextInt(10) == 0 ? null : (long) random.nextInt(12);
                Row key = Row.of(k);
                Row value = new Row(new Object[] {k, v});
                plain.pipe(key, value, ts);
                upstream.process(key, value, ts);
                if (random.nextInt(15) == 0) {
                    upstream.commit();
                }
                if (i == records / 2) {
                    // a commit, then the aggregate's task restarts from its store
                    upstream.commit();
                    plain.restart();
                    merged.restart();
                }
            }
            // a far-future record closes every window
            Row key = Row.of("z");
            Row value = new Row(new Object[] {"z", 1L});
            plain.pipe(key, value, time + 10 * size);
            upstream.process(key, value, time + 10 * size);
            upstream.commit();
            assertTrue(plain.rows.size() > 30, "windows emitted: " + plain.rows.size());
            assertEquals(plain.rows, merged.rows);
            plain.close();
            merged.close();
            assertTrue(plain.droppedBefore > 0, "some records were late");
            assertEquals(plain.droppedBefore, merged.droppedBefore);
            assertTrue(upstream.forwarded < records * 3 / 4, "partials merged records: " + upstream.forwarded);
        }
    }
}

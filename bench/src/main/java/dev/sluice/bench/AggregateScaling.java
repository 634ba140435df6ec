package dev.sluice.bench;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Random;

/**
 * Whether an aggregate's per-record cost grows with its group: a Nexmark q16-like GROUP BY (few
 * channels, COUNT(DISTINCT ...) over bidders and auctions whose number grows with the input) run
 * over N and 10 x N bids through TopologyTestDriver. Prints the CPU nanoseconds per record of the
 * whole run and of its last tenth, when the groups are largest. A cost that does not grow with the
 * group gives about the same figures at 1x and 10x; a set re-encoded on every record gives about
 * ten times more at 10x.
 *
 * <p>Usage: {@code bench/aggregate-scaling [--records N] [--channels C]
 * [--shape NAME] [--cache-bytes B]}
 * (NAME: a key of {@link ScalingShapes#SHAPES}, which the usage error lists)
 * (default 20000, 4 and group: a GROUP BY of the stream; tumble: the same per one-day TUMBLE window;
 * hop: per one-day window every six hours, four windows per record; session: per one-hour-gap
 * SESSION, one session per channel; table: a GROUP BY with MIN/MAX and DISTINCT over a table whose
 * rows are updated and deleted, so every record retracts; array: ARRAY_AGG per one-day TUMBLE
 * window, EMIT FINAL; array-changes: the same, EMIT CHANGES; array-hop: ARRAY_AGG per one-day window
 * every six hours, EMIT FINAL; percentile: PERCENTILE_CONT/DISC per one-day TUMBLE window, EMIT
 * CHANGES; percentile-table: the same over the table; topk: TOPK and TOPKDISTINCT per channel;
 * counts: COUNT_DISTINCT and ATTR per channel; counts-table: those, APPROX_COUNT_DISTINCT,
 * APPROX_PERCENTILE and DISTINCT percentile and TOPK over the table; session-collections:
 * PERCENTILE_CONT, TOPK and ARRAY_AGG per one-hour-gap SESSION, EMIT FINAL; session-distinct:
 * COUNT_DISTINCT, ATTR, TOPK(DISTINCT), MAX(DISTINCT), COUNT(DISTINCT) the same way; session-stddev-distinct:
 * STDDEV_POP, VAR_SAMP, CORRELATION, STDDEV_SAMPLE, APPROX_COUNT_DISTINCT, APPROX_PERCENTILE with DISTINCT the
 * same way; array-group: ARRAY_AGG
 * per channel without window; array-table: ARRAY_AGG over the table; first-table: FIRST and LAST
 * over the table; distinct-stream: DISTINCT percentile, TOPK, COUNT_DISTINCT and ATTR per channel;
 * distinct-table: DISTINCT STDDEV, VAR, CORRELATION, COUNT_IF and BOOL_OR over the table; array-sorted:
 * ARRAY_AGG with ORDER BY per one-day window, EMIT FINAL; sorted-table: FIRST/LAST with ORDER BY over
 * the table; sets: COLLECT_SET and HISTOGRAM per one-day TUMBLE window, EMIT FINAL; sets-group:
 * the same per channel without window; sets-table: the same over the table; distinct-unordered:
 * COUNT_DISTINCT and ATTR over an ARRAY and a MAP per channel; distinct-unordered-table: the same over the
 * table; session-sets: COLLECT_SET, HISTOGRAM, FIRST(DISTINCT) and LAST(DISTINCT) per one-hour-gap SESSION,
 * EMIT FINAL; session-array-sorted: ARRAY_AGG with ORDER BY and with DISTINCT ORDER BY the same way; array-distinct:
 * ARRAY_AGG(DISTINCT), COLLECT_SET(DISTINCT), HISTOGRAM beside COUNT(DISTINCT) per one-day window;
 * sets-distinct-table: COLLECT_SET(DISTINCT) and HISTOGRAM(DISTINCT) over the table; distinct-retracting-table:
 * STDDEV_SAMPLE, SUM_LIST and a Java aggregate with DISTINCT over the table; array-constant-key:
 * ARRAY_AGG / COLLECT_LIST with a constant ORDER BY key per one-day window, EMIT FINAL; session-constant:
 * ARRAY_AGG(DISTINCT 'x' ORDER BY bidder) and ARRAY_AGG(auction ORDER BY 'k') per one-hour-gap SESSION, EMIT FINAL).
 * {@code --cache-bytes} turns the record cache on (0, the default, keeps it off); TopologyTestDriver
 * commits after every record, so the cache saves reads and repeated writes within a record, not the
 * writes a real commit interval folds.
 */
public final class AggregateScaling {
    private static String sql = StreamScalingShapes.GROUP_SQL;
    private static boolean table;
    /** The record cache (0: off, every update a store write); TopologyTestDriver flushes it after each record. */
    private static long cacheBytes;

    private AggregateScaling() {
    }


    public static void main(String[] args) throws Exception {
        int records = 20_000;
        int channels = 4;
        String shape = "group";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[++i]);
                case "--channels" -> channels = Integer.parseInt(args[++i]);
                case "--cache-bytes" -> cacheBytes = Long.parseLong(args[++i]);
                case "--shape" -> shape = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        sql = ScalingShapes.SHAPES.get(shape);
        if (sql == null) {
            throw new IllegalArgumentException("--shape " + String.join("|", ScalingShapes.SHAPES.keySet()));
        }
        table = ScalingShapes.TABLE_SHAPES.contains(shape);
        // The first run warms the JIT up and is not reported.
        run(Math.max(records / 10, 1_000), channels);
        System.out.printf("%-6s %10s %14s %18s%n", "data", "records", "ns/record", "ns/record last 10%");
        Result one = run(records, channels);
        print("1x", one);
        Result ten = run(records * 10, channels);
        print("10x", ten);
        System.out.printf("growth 10x/1x: %.2f (whole run), %.2f (last tenth)%n",
                ten.nsPerRecord() / one.nsPerRecord(), ten.nsPerRecordLastTenth() / one.nsPerRecordLastTenth());
    }

    private static void print(String label, Result r) {
        System.out.printf("%-6s %10d %14.0f %18.0f%n", label, r.records, r.nsPerRecord(), r.nsPerRecordLastTenth());
        System.out.flush();
    }

    record Result(int records, long cpuNanos, long lastTenthCpuNanos) {
        double nsPerRecord() {
            return (double) cpuNanos / records;
        }

        double nsPerRecordLastTenth() {
            return (double) lastTenthCpuNanos / (records - records * 9 / 10);
        }
    }

    static Result run(int records, int channels) throws Exception {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "scaling", BuildOptions.PRODUCTION);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregate-scaling");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregate-scaling").toString());
        byte[][] keys = new byte[records][];
        byte[][] inputs = table ? tableBids(records, channels, keys) : bids(records, channels);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = 0;
        long lastTenthStart = 0;
        int lastTenth = records * 9 / 10;
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("bids", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(script.queries().get(0).outputTopic(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            start = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < records; i++) {
                if (i == lastTenth) {
                    lastTenthStart = cpu.getCurrentThreadCpuTime();
                }
                in.pipeInput(keys[i], inputs[i], 1_700_000_000_000L + i);
                if ((i & 1023) == 0) {
                    out.readRecordsToList();
                }
            }
            long end = cpu.getCurrentThreadCpuTime();
            out.readRecordsToList();
            return new Result(records, end - start, end - lastTenthStart);
        }
    }

    /**
     * Changes of a table of bids with a fixed seed: record i inserts bid i when i is even; an odd
     * record updates a random earlier bid, except every tenth, which deletes one (a tombstone).
     * Values as {@link #bids}: bidders from records / 2 ids, a new auction every 10 records.
     */
    private static byte[][] tableBids(int records, int channels, byte[][] keys) {
        Random random = new Random(42);
        byte[][] out = new byte[records][];
        for (int i = 0; i < records; i++) {
            int id = i % 2 == 0 || i < 2 ? i : 2 * random.nextInt(i / 2);
            keys[i] = ("b" + id).getBytes(StandardCharsets.UTF_8);
            if (i % 10 == 9) {
                out[i] = null;
                continue;
            }
            String json = "{\"bid_id\":\"b" + id + "\",\"channel\":\"channel-" + (id / 2 % channels)
                    + "\",\"bidder\":" + random.nextInt(Math.max(records / 2, 1)) + ",\"auction\":" + i / 10
                    + ",\"price\":" + random.nextInt(20_000) + "}";
            out[i] = json.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Bids with a fixed seed: bidders drawn from records / 2 ids, a new auction every 10 bids. */
    private static byte[][] bids(int records, int channels) {
        Random random = new Random(42);
        byte[][] out = new byte[records][];
        for (int i = 0; i < records; i++) {
            String json = "{\"channel\":\"channel-" + random.nextInt(channels) + "\",\"bidder\":"
                    + random.nextInt(Math.max(records / 2, 1)) + ",\"auction\":" + i / 10 + ",\"price\":"
                    + random.nextInt(20_000) + ",\"event_time\":" + (1_700_000_000_000L + i) + "}";
            out[i] = json.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}

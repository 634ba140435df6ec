package dev.sluice.bench;

import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.streams.Topology;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code bench/run}: each shape compiled by Sluice beside the same pipeline written by hand, fed the
 * same fixed input through TopologyTestDriver. Outputs are compared before anything is timed; then
 * the two versions run alternately, and the table gives each one's median records/s, the spread, and
 * the ratio Sluice/hand-written. The last line is the smallest ratio.
 */
public final class BenchMain {
    private static final long SEED = 20240115L;
    private static final PrintStream OUT = System.out;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bench-run");
        t.setDaemon(true);
        return t;
    });

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options options = Options.parse(args);
        OUT.printf("sluice bench: %,d events, %d repetitions, seed %d, %d cores, JDK %s, max heap %d MB%n",
                options.records, options.repetitions, SEED, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        if (options.brokerOnly) {
            // only the broker comparison of every shape (the TTD part and shape (a)'s latency take long)
            BrokerShapes.run(Shapes.all().stream().filter(sh -> options.shapes.contains(sh.id())).toList(),
                    options.brokerRecords, options.brokerRuns, SEED, OUT);
            return;
        }
        boolean anyShape = Shapes.all().stream().anyMatch(sh -> options.shapes.contains(sh.id()));
        InputGenerator.Inputs inputs = anyShape ? InputGenerator.generate(options.records, SEED) : null;
        List<Row> rows = new ArrayList<>();
        for (Shape shape : Shapes.all()) {
            if (!options.shapes.contains(shape.id())) {
                continue;
            }
            rows.add(runShape(shape, inputs, options));
        }
        printTable(rows);
        if (options.topologies != null) {
            CompileTimes.print(options.topologies, OUT);
        }
        double min = rows.stream().filter(r -> r.status == null).mapToDouble(r -> r.ratio.median()).min().orElse(Double.NaN);
        OUT.println();
        OUT.printf("min ratio sluice/hand-written: %.2f%n", min);
        if (options.broker) {
            BrokerBench.run(options.brokerRecords, SEED, OUT);
            // last: every shape on the broker, ending with `min ratio sluice/hand-written (broker): X.XX`
            BrokerShapes.run(Shapes.all().stream().filter(sh -> options.shapes.contains(sh.id())).toList(),
                    options.brokerRecords, options.brokerRuns, SEED, OUT);
        }
    }

    /** One line of the table; {@code status} is set when the shape was not timed (pending, or outputs differ). */
    private record Row(Shape shape, String status, Stats sluice, Stats hand, Stats ratio, CheckPass check,
                       Stats sluiceWall, Stats handWall) {
        Row(Shape shape, String status) {
            this(shape, status, null, null, null, null, null, null);
        }
    }

    private static Row runShape(Shape shape, InputGenerator.Inputs inputs, Options options) {
        String sql = Shapes.sql(shape);
        Supplier<Topology> sluice = () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "bench_" + shape.id(), BuildOptions.PRODUCTION).topology();
        try {
            sluice.get();
        } catch (SqlException e) {
            if (e.getMessage() != null && e.getMessage().contains("not supported yet")) {
                OUT.printf("(%s) %s: pending (%s)%n", shape.id(), shape.title(), e.getMessage().strip());
                return new Row(shape, "pending: " + e.getMessage().strip());
            }
            throw e;
        }
        if (options.only != null) {
            // Profiling aid: time one side alone, unchecked, so a profile shows only its frames.
            boolean s = options.only.equals("sluice");
            for (int rep = 0; rep < options.repetitions; rep++) {
                TtdRun.Result r = TtdRun.timed(s ? sluice.get() : shape.handWritten().get(), inputs, "profile");
                OUT.printf("(%s) %s only: %,.0f records/s%n", shape.id(), options.only, r.recordsPerSecond());
            }
            return new Row(shape, "profiled " + options.only + " only");
        }
        // Correctness first: the same rows from both, or the shape is not timed. This pass also warms the JIT,
        // measures state and heap, and is not counted.
        CheckPass check = CheckPass.run(sluice.get(), shape.handWritten().get(), inputs, "bench-" + shape.id(), POOL);
        TtdRun.Result s0 = check.sluice();
        TtdRun.Result h0 = check.hand();
        String diff = OutputCheck.compare(s0.rows().readAll(), h0.rows().readAll());
        s0.rows().delete();
        h0.rows().delete();
        if (diff != null) {
            OUT.printf("(%s) %s: OUTPUTS DIFFER, not timed: %s%n", shape.id(), shape.title(), diff);
            return new Row(shape, "outputs differ");
        }
        OUT.printf("(%s) %s: outputs match (%,d rows); timing", shape.id(), shape.title(), s0.outputs());
        List<Double> s = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        List<Double> sWall = new ArrayList<>();
        List<Double> hWall = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int rep = 0; rep < options.repetitions; rep++) {
            // The two versions run at the same time, one per core, each timed by its own thread's CPU
            // time: both see the same machine, and a pair's ratio is what counts on a noisy one.
            int r = rep;
            CompletableFuture<TtdRun.Result> fs = CompletableFuture.supplyAsync(
                    () -> TtdRun.timed(sluice.get(), inputs, "bench-" + shape.id() + "-" + r + "-sluice"), POOL);
            CompletableFuture<TtdRun.Result> fh = CompletableFuture.supplyAsync(
                    () -> TtdRun.timed(shape.handWritten().get(), inputs, "bench-" + shape.id() + "-" + r + "-hand"),
                    POOL);
            TtdRun.Result rs = fs.join();
            TtdRun.Result rh = fh.join();
            s.add(rs.recordsPerSecond());
            h.add(rh.recordsPerSecond());
            sWall.add(rs.recordsPerWallSecond());
            hWall.add(rh.recordsPerWallSecond());
            ratios.add(rs.recordsPerSecond() / rh.recordsPerSecond());
            OUT.print(".");
            OUT.flush();
        }
        OUT.println();
        return new Row(shape, null, Stats.of(s), Stats.of(h), Stats.of(ratios), check, Stats.of(sWall),
                Stats.of(hWall));
    }
    private static void printTable(List<Row> rows) {
        OUT.println();
        OUT.println("TopologyTestDriver, in-memory stores, no record cache. r/s = input records per CPU-second of the"
                + " driving thread (median of the repetitions; spread = (max-min)/median); wall = records per elapsed"
                + " second; ratio = median of the per-repetition ratios sluice/hand; state = serialized bytes in the"
                + " stores and suppress buffers, and heap = live heap after GC, both just before the final record");
        OUT.printf("%-34s %10s %6s %10s %6s %10s %10s %6s %10s %10s %9s %9s %9s%n", "shape", "sluice r/s", "spread",
                "hand r/s", "spread", "sluice wall", "hand wall", "ratio", "state S", "state H", "heap S", "heap H",
                "out rows");
        for (Row r : rows) {
            String name = "(" + r.shape.id() + ") " + r.shape.title();
            if (r.status != null) {
                OUT.printf("%-34s %s%n", name, r.status);
                continue;
            }
            OUT.printf("%-34s %,10.0f %5.0f%% %,10.0f %5.0f%% %,10.0f %,10.0f %6.2f %10s %10s %9s %9s %,9d%n", name,
                    r.sluice.median(), r.sluice.spreadPercent(), r.hand.median(), r.hand.spreadPercent(),
                    r.sluiceWall.median(), r.handWall.median(), r.ratio.median(),
                    bytes(r.check.sluice().stateBytes()), bytes(r.check.hand().stateBytes()),
                    bytes(r.check.sluiceHeap()), bytes(r.check.handHeap()), r.check.sluice().outputs());
        }
    }

    static String bytes(long n) {
        if (n < 0) {
            return "-" + bytes(-n);
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KB", n / 1024.0);
        }
        return String.format("%.1f MB", n / (1024.0 * 1024));
    }

    private record Options(int records, int repetitions, String shapes, boolean broker, int brokerRecords,
                           int brokerRuns, boolean brokerOnly, Path topologies, String only) {
        static Options parse(String[] args) {
            int records = 1_000_000;
            int reps = 3;
            String shapes = "abcdef";
            boolean broker = false;
            Integer brokerRecords = null;
            int brokerRuns = 5;
            boolean brokerOnly = false;
            Path topologies = null;
            String only = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> {
                        records = 100_000;
                        reps = 2;
                    }
                    case "--records" -> records = Integer.parseInt(args[++i]);
                    case "--reps" -> reps = Integer.parseInt(args[++i]);
                    case "--shapes" -> shapes = args[++i];
                    case "--broker" -> broker = true;
                    case "--broker-records" -> brokerRecords = Integer.parseInt(args[++i]);
                    case "--broker-runs" -> brokerRuns = Integer.parseInt(args[++i]);
                    case "--broker-only" -> brokerOnly = true;
                    case "--topologies" -> topologies = Path.of(args[++i]);
                    case "--only" -> only = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --quick --records N --reps N --shapes abcdef --broker --broker-records N --broker-runs N --broker-only"
                            + " --topologies DIR --only sluice|hand");
                }
            }
            return new Options(records, reps, shapes, broker,
                    brokerRecords != null ? brokerRecords : Math.min(records, 100_000), brokerRuns, brokerOnly, topologies, only);
        }
    }
}

package dev.sluice.cli.fuzz;

import dev.sluice.cli.ErrorReport;
import dev.sluice.cli.UsageException;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compiles generated and mutated scripts ({@link FuzzInputs}) in process, as {@code sluice compile}
 * does, on several threads, and checks that each ends the way a user may see: compiled (exit 0), a
 * SQL error with a position (65), or a usage error (64). Anything else thrown is an internal error
 * (70) and a bug; so is a compile still running after the time limit (a hang), which a watchdog
 * sees from outside the worker: the limit is CPU time, so a busy machine does not turn slow inputs
 * into hangs, with a wall-time backstop for a compile that waits. Failures are grouped by their cause (exception and where it was
 * thrown); the first inputs of each are written to a directory, to replay with {@code sluice compile}.
 */
public final class SqlFuzzer {
    /** What one campaign saw. {@code failures} holds one entry per distinct cause. */
    public record Result(long inputs, long compiled, long sqlErrors, long usageErrors, long crashes, long hangs,
                         List<Finding> findings) {
        public long distinctFailures() {
            return findings.size();
        }
    }

    /** A distinct cause of crashes or hangs: how often it was seen and its first input. */
    public record Finding(String kind, String detail, String sql, long count) {
    }

    private static final int SAVED_PER_CAUSE = 3;
    private static final long WAIT_FACTOR = 30;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final List<String> corpus;
    private final List<List<String>> tokens;
    private final java.util.Set<String> functionNames;
    private final Duration limit;
    private final int threads;

    public SqlFuzzer(List<String> corpus, Duration limit) {
        this(corpus, limit, 1);
    }

    public SqlFuzzer(List<String> corpus, Duration limit, int threads) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty");
        }
        this.corpus = List.copyOf(corpus);
        this.tokens = FuzzInputs.tokenize(this.corpus);
        this.functionNames = new DefaultFunctionCatalog(() -> 0L).names();
        this.limit = limit;
        this.threads = Math.max(1, threads);
    }

    /** Every {@code pipeline.sql} under {@code dir}; see {@link FuzzCorpus} for the wider corpus. */
    public static List<String> corpus(Path dir) {
        return FuzzCorpus.load(List.of(dir));
    }

    /**
     * Runs inputs 0 to {@code count - 1} of {@code seed}; stops early once {@code maxCauses}
     * distinct causes of failure were seen.
     */
    public Result run(long count, long seed, int maxCauses, Path findingsDir) {
        return run(count, seed, maxCauses, findingsDir, line -> { });
    }

    /** As {@link #run(long, long, int, Path)}, telling {@code progress} the counts once a minute. */
    public Result run(long count, long seed, int maxCauses, Path findingsDir,
                      java.util.function.Consumer<String> progress) {
        Campaign campaign = new Campaign(count, seed, maxCauses, findingsDir, progress);
        return campaign.run();
    }

    /** One run: the shared counters, the workers and the watchdog. */
    private final class Campaign {
        private final long count;
        private final long seed;
        private final int maxCauses;
        private final Path findingsDir;
        private final AtomicLong next = new AtomicLong();
        private final LongAdder done = new LongAdder();
        private final LongAdder compiled = new LongAdder();
        private final LongAdder sqlErrors = new LongAdder();
        private final LongAdder usageErrors = new LongAdder();
        private final LongAdder crashes = new LongAdder();
        private final LongAdder hangs = new LongAdder();
        private final Map<String, Cause> causes = new LinkedHashMap<>();
        private final java.util.function.Consumer<String> progress;
        private volatile boolean stop;

        Campaign(long count, long seed, int maxCauses, Path findingsDir, java.util.function.Consumer<String> progress) {
            this.progress = progress;
            this.count = count;
            this.seed = seed;
            this.maxCauses = maxCauses;
            this.findingsDir = findingsDir;
        }

        Result run() {
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(start());
            }
            long begin = System.nanoTime();
            long reported = begin;
            try {
                while (!workers.isEmpty()) {
                    if (System.nanoTime() - reported > 60_000_000_000L) {
                        reported = System.nanoTime();
                        long n = done.sum();
                        progress.accept(String.format("%d inputs in %d s: %d compiled, %d SQL errors, %d crashes, %d hangs",
                                n, (reported - begin) / 1_000_000_000L, compiled.sum(), sqlErrors.sum(), crashes.sum(),
                                hangs.sum()));
                    }
                    Thread.sleep(Math.min(200, Math.max(10, limit.toMillis() / 4)));
                    List<Worker> replaced = new ArrayList<>();
                    for (var it = workers.iterator(); it.hasNext(); ) {
                        Worker w = it.next();
                        long began = w.began;
                        long cpuBegan = w.cpuBegan;
                        String input = w.input;
                        if (!w.thread.isAlive()) {
                            it.remove();
                        } else if (input != null && began != 0 && overran(w, began, cpuBegan) && w.abandon()) {
                            // A hung compile cannot be stopped from outside; its thread is a daemon,
                            // interrupted and forgotten, and a new worker takes its place.
                            w.thread.interrupt();
                            it.remove();
                            record(70, "hang", "no answer within " + limit.toMillis() + " ms", "hang", input);
                            replaced.add(start());
                        }
                    }
                    workers.addAll(replaced);
                }
            } catch (InterruptedException e) {
                stop = true;
                Thread.currentThread().interrupt();
            }
            List<Finding> findings;
            synchronized (causes) {
                findings = causes.values().stream()
                        .map(c -> new Finding(c.kind, c.detail, c.firstSql, c.count)).toList();
            }
            return new Result(done.sum(), compiled.sum(), sqlErrors.sum(), usageErrors.sum(), crashes.sum(),
                    hangs.sum(), findings);
        }

        /**
         * Whether the worker's input ran past the limit: in CPU time, so that a loaded machine (a
         * thread waiting for a core) is no hang, or in wall time past {@link #WAIT_FACTOR} limits,
         * which catches a compile that waits without computing.
         */
        private boolean overran(Worker w, long began, long cpuBegan) {
            long wall = System.nanoTime() - began;
            long cpu = CPU.getThreadCpuTime(w.thread.getId()) - cpuBegan;
            return cpu > limit.toNanos() || wall > WAIT_FACTOR * limit.toNanos();
        }

        private Worker start() {
            Worker w = new Worker();
            w.thread = new Thread(null, () -> work(w), "sluice-fuzz", 64L * 1024 * 1024); // deep expressions are legal
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        private void work(Worker me) {
            FuzzInputs inputs = new FuzzInputs(corpus, tokens, new SqlMutator(functionNames), seed);
            SluiceCompiler compiler = new SluiceCompiler(new DefaultFunctionCatalog(() -> 0L)).withDiscovery(Discovery.OFFLINE);
            while (!stop && !me.abandoned()) {
                long index = next.getAndIncrement();
                if (index >= count) {
                    return;
                }
                String sql = inputs.input(index);
                me.begin(sql);
                Outcome outcome = compile(compiler, sql);
                if (!me.finish()) {
                    return; // the watchdog took this input as a hang
                }
                record(outcome.exitCode(), outcome.cause(), outcome.detail(), "crash", sql);
            }
        }

        private void record(int exitCode, String signature, String detail, String kind, String sql) {
            done.increment();
            switch (exitCode) {
                case 0 -> compiled.increment();
                case 65 -> sqlErrors.increment();
                case 64 -> usageErrors.increment();
                default -> {
                    (kind.equals("hang") ? hangs : crashes).increment();
                    synchronized (causes) {
                        Cause cause = causes.computeIfAbsent(signature, d -> new Cause(causes.size() + 1, kind,
                                d + ": " + detail, sql));
                        cause.count++;
                        if (cause.count <= SAVED_PER_CAUSE) {
                            save(findingsDir, cause.number, cause.count, kind, signature + ": " + detail, sql);
                        }
                        if (causes.size() >= maxCauses) {
                            stop = true;
                        }
                    }
                }
            }
        }
    }

    /** A worker's current input, read by the watchdog; abandoned once it overran the limit. */
    private static final class Worker {
        Thread thread;
        volatile long began;
        volatile long cpuBegan;
        volatile String input;
        private boolean abandoned;

        synchronized void begin(String sql) {
            input = sql;
            cpuBegan = CPU.getCurrentThreadCpuTime();
            began = System.nanoTime();
        }

        /** False when the watchdog abandoned this input first. */
        synchronized boolean finish() {
            input = null;
            began = 0;
            return !abandoned;
        }

        synchronized boolean abandon() {
            if (input == null) {
                return false;
            }
            abandoned = true;
            return true;
        }

        synchronized boolean abandoned() {
            return abandoned;
        }
    }

    private static final class Cause {
        final int number;
        final String kind;
        final String detail;
        final String firstSql;
        long count;

        Cause(int number, String kind, String detail, String firstSql) {
            this.number = number;
            this.kind = kind;
            this.detail = detail;
            this.firstSql = firstSql;
        }
    }

    /** {@code cause} groups failures: the kind of failure and where it was raised, without the message. */
    private record Outcome(int exitCode, String cause, String detail) {
        Outcome(int exitCode) {
            this(exitCode, "", "");
        }
    }

    /** What {@code sluice compile} would answer, without the printing. */
    static Outcome compile(SluiceCompiler compiler, String sql) {
        try {
            compiler.compile(sql, "fuzz", BuildOptions.PRODUCTION).topology().describe();
            return new Outcome(0);
        } catch (SqlException e) {
            ErrorReport.format(e, "fuzz.sql", sql); // the report itself must not fail
            if (e.line() < 1) {
                return new Outcome(70, "SQL error without a position at " + where(e), e.getMessage());
            }
            return new Outcome(65);
        } catch (UsageException e) {
            return new Outcome(64);
        } catch (StackOverflowError e) {
            return new Outcome(70, "internal error: StackOverflowError", "StackOverflowError");
        } catch (RuntimeException e) {
            return new Outcome(70, "internal error: " + e.getClass().getName() + " at " + where(e), e.toString());
        }
    }

    private static String where(Throwable e) {
        // HotSpot drops the stack trace of an implicit exception (ClassCastException, NullPointerException)
        // thrown often at one place, so a campaign would report "at ?" and split one cause in two
        return e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString()
                : "? (stack trace omitted by the JVM: run java -XX:-OmitStackTraceInFastThrow -jar ... to see it)";
    }

    private static void save(Path dir, int cause, long nth, String kind, String detail, String sql) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(kind + "-" + cause + "-" + nth + ".sql"),
                    "-- " + detail.replace('\n', ' ') + "\n" + sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

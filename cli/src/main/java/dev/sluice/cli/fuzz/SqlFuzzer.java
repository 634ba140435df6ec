package dev.sluice.cli.fuzz;

import dev.sluice.cli.ErrorReport;
import dev.sluice.cli.UsageException;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compiles mutants of a corpus of scripts, as {@code sluice compile} does, and checks that each
 * ends the way a user may see: compiled (exit 0), a SQL error with a position (65), or a usage
 * error (64). Anything else thrown is an internal error (70) and a bug; so is a compile that takes
 * longer than the time limit (a hang). Failing inputs are written to a directory to be replayed
 * with {@code sluice compile}.
 */
public final class SqlFuzzer {
    /** What one campaign saw. */
    public record Result(long inputs, long compiled, long sqlErrors, long usageErrors, List<Finding> findings) {
    }

    /** An input that crashed or hung, with what happened. */
    public record Finding(String kind, String detail, String sql) {
    }

    private final List<String> corpus;
    private final SqlMutator mutator;
    private final SluiceCompiler compiler;
    private final Duration limit;

    public SqlFuzzer(List<String> corpus, Duration limit) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty");
        }
        this.corpus = List.copyOf(corpus);
        DefaultFunctionCatalog functions = new DefaultFunctionCatalog(() -> 0L);
        this.mutator = new SqlMutator(functions.names());
        this.compiler = new SluiceCompiler(functions);
        this.limit = limit;
    }

    /** Every {@code pipeline.sql} under {@code dir} (the shipped pipelines are the default corpus). */
    public static List<String> corpus(Path dir) {
        try (var files = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                out.add(Files.readString(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code count} mutants from {@code seed}; stops early after {@code maxFindings} findings. */
    public Result run(long count, long seed, int maxFindings, Path findingsDir) {
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService worker = newWorker();
        long compiled = 0;
        long sqlErrors = 0;
        long usageErrors = 0;
        List<Finding> findings = new ArrayList<>();
        long n = 0;
        try {
            for (; n < count && findings.size() < maxFindings; n++) {
                String base = corpus.get(random.nextInt(corpus.size()));
                String other = corpus.get(random.nextInt(corpus.size()));
                String sql = mutator.mutate(base, other, random);
                Future<Outcome> f = worker.submit(() -> compile(sql));
                Outcome outcome;
                try {
                    outcome = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker(); // the hung thread is abandoned; a daemon, it cannot keep the JVM up
                    outcome = new Outcome(70, "hang: no answer within " + limit.toMillis() + " ms");
                } catch (ExecutionException e) {
                    outcome = new Outcome(70, "internal error: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                switch (outcome.exitCode()) {
                    case 0 -> compiled++;
                    case 65 -> sqlErrors++;
                    case 64 -> usageErrors++;
                    default -> {
                        Finding finding = new Finding(outcome.detail().startsWith("hang") ? "hang" : "crash",
                                outcome.detail(), sql);
                        findings.add(finding);
                        save(findingsDir, findings.size(), finding);
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return new Result(n, compiled, sqlErrors, usageErrors, List.copyOf(findings));
    }

    private record Outcome(int exitCode, String detail) {
    }

    /** What {@code sluice compile} would answer, without the printing. */
    private Outcome compile(String sql) {
        try {
            compiler.compile(sql, "fuzz", BuildOptions.PRODUCTION).topology().describe();
            return new Outcome(0, "");
        } catch (SqlException e) {
            ErrorReport.format(e, "fuzz.sql", sql); // the report itself must not fail
            if (e.line() < 1) {
                return new Outcome(70, "SQL error without a position: " + e.getMessage());
            }
            return new Outcome(65, "");
        } catch (UsageException e) {
            return new Outcome(64, "");
        } catch (StackOverflowError e) {
            return new Outcome(70, "internal error: StackOverflowError");
        } catch (RuntimeException e) {
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            return new Outcome(70, "internal error: " + e + (at == null ? "" : " at " + at));
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "sluice-fuzz", 64L * 1024 * 1024); // deep expressions are legal input
            t.setDaemon(true);
            return t;
        });
    }

    private static void save(Path dir, int index, Finding finding) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(finding.kind() + "-" + index + ".sql"),
                    "-- " + finding.detail().replace('\n', ' ') + "\n" + finding.sql());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

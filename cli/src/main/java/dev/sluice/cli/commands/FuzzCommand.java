package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.fuzz.FuzzCorpus;
import dev.sluice.cli.fuzz.SqlFuzzer;
import dev.sluice.cli.run.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Fuzzes the parser and compiler: compiles inputs generated from the grammar and mutated from a
 * corpus of scripts, in process and on several threads, and fails (exit 70) if one ends in an
 * internal error or does not finish in time. The first inputs of each distinct failure are written
 * as scripts to replay with {@code sluice compile}.
 */
@Command(name = "fuzz", description = "Compile generated and mutated SQL; report inputs that crash or hang the compiler.")
public final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--corpus", paramLabel = "PATH", split = ",",
            description = "scripts (*.sql) and documents with ```sql blocks (*.txt, *.md) to start from "
                    + "(default: topologies, bench/nexmark/queries, grammar/src/test/resources/seeds)")
    List<Path> corpus = List.of(Path.of("topologies"), Path.of("bench/nexmark/queries"),
            Path.of("grammar/src/test/resources/seeds"));

    @Option(names = "--count", paramLabel = "N", description = "how many inputs (default: 100000)")
    long count = 100_000;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: 1)")
    long seed = 1;

    @Option(names = "--threads", paramLabel = "N", description = "compiling threads (default: the number of cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "per input, else a hang (default: 10s)")
    String timeLimit = "10s";

    @Option(names = "--max-failures", paramLabel = "N", description = "stop after this many distinct failures (default: 100)")
    int maxFailures = 100;

    @Option(names = "--findings", paramLabel = "DIR", description = "where failing inputs go (default: fuzz-findings)")
    Path findings = Path.of("fuzz-findings");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        List<String> scripts = FuzzCorpus.load(corpus);
        if (scripts.isEmpty()) {
            spec.commandLine().getErr().println("sluice fuzz: no scripts under " + corpus);
            return ExitCodes.USAGE;
        }
        SqlFuzzer fuzzer = new SqlFuzzer(scripts, Durations.parse("--time-limit", timeLimit), threads);
        long begin = System.nanoTime();
        var err = spec.commandLine().getErr();
        SqlFuzzer.Result r = fuzzer.run(count, seed, maxFailures, findings, line -> {
            err.println("sluice fuzz: " + line);
            err.flush();
        });
        double seconds = Math.max(0.001, (System.nanoTime() - begin) / 1e9);
        out.printf("%d inputs (corpus of %d scripts, %d threads) in %.0f s (%.0f/s): %d compiled (exit 0), "
                        + "%d SQL errors (65), %d usage errors (64), %d crashes (70), %d hangs; %d distinct failures%n",
                r.inputs(), scripts.size(), threads, seconds, r.inputs() / seconds, r.compiled(), r.sqlErrors(),
                r.usageErrors(), r.crashes(), r.hangs(), r.distinctFailures());
        r.findings().forEach(f -> out.println(f.kind() + " (" + f.count() + "x): " + f.detail()));
        out.flush();
        return r.findings().isEmpty() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}

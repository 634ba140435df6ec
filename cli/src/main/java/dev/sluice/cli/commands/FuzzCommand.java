package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.fuzz.SqlFuzzer;
import dev.sluice.cli.run.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Fuzzes the parser and compiler: compiles mutants of a corpus of scripts and fails (exit 70) if one
 * ends in an internal error or does not finish in time. Each finding is written as a script to
 * replay with {@code sluice compile}.
 */
@Command(name = "fuzz", description = "Compile mutated SQL; report inputs that crash or hang the compiler.")
public final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--corpus", paramLabel = "DIR", description = "scripts (*.sql) to mutate (default: topologies)")
    Path corpus = Path.of("topologies");

    @Option(names = "--count", paramLabel = "N", description = "how many inputs (default: 100000)")
    long count = 100_000;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: 1)")
    long seed = 1;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "per input, else a hang (default: 60s)")
    String timeLimit = "60s";

    @Option(names = "--findings", paramLabel = "DIR", description = "where failing inputs go (default: fuzz-findings)")
    Path findings = Path.of("fuzz-findings");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        SqlFuzzer fuzzer = new SqlFuzzer(SqlFuzzer.corpus(corpus), Durations.parse("--time-limit", timeLimit));
        long begin = System.nanoTime();
        SqlFuzzer.Result r = fuzzer.run(count, seed, 100, findings);
        long seconds = Math.max(1, (System.nanoTime() - begin) / 1_000_000_000L);
        out.printf("%d inputs in %d s (%d/s): %d compiled, %d SQL errors, %d usage errors, %d crashes or hangs%n",
                r.inputs(), seconds, r.inputs() / seconds, r.compiled(), r.sqlErrors(), r.usageErrors(),
                r.findings().size());
        r.findings().forEach(f -> out.println(f.kind() + ": " + f.detail()));
        out.flush();
        return r.findings().isEmpty() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}

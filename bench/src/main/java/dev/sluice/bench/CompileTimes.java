package dev.sluice.bench;

import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compile time of every shipped pipeline ({@code topologies/<name>/pipeline.sql}): SQL text to a built
 * Kafka Streams Topology. The first compile of the first pipeline pays for class loading and a cold
 * JIT; the table shows each pipeline's first compile and the median of the following ones.
 */
public final class CompileTimes {
    private static final int REPEATS = 20;

    private CompileTimes() {
    }

    public static void print(Path topologies, PrintStream out) throws IOException {
        List<Path> pipelines = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(topologies)) {
            dirs.map(d -> d.resolve("pipeline.sql")).filter(Files::isRegularFile).sorted().forEach(pipelines::add);
        }
        out.println();
        out.printf("compile time of topologies/*/pipeline.sql (ms; first compile, then median of %d):%n", REPEATS);
        for (Path p : pipelines) {
            String sql = Files.readString(p);
            String name = p.getParent().getFileName().toString();
            double first;
            try {
                first = compileMillis(sql, name);
            } catch (dev.sluice.grammar.SqlException e) {
                // e.g. nexmark_q14's CREATE FUNCTION needs its user jar (the pipeline tests put it on
                // their classpath): not timed here, and the rest of the benchmark still runs
                out.printf("  %-28s not timed: %s%n", name, e.getMessage());
                continue;
            }
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                times.add(compileMillis(sql, name));
            }
            out.printf("  %-28s first %7.1f   median %6.2f%n", name, first, Stats.of(times).median());
        }
    }

    private static double compileMillis(String sql, String name) {
        long start = System.nanoTime();
        new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, name, BuildOptions.PRODUCTION).topology();
        return (System.nanoTime() - start) / 1e6;
    }
}

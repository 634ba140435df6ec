package dev.sluice.topologies;

import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pipelines shipped in {@code topologies/}: one folder each with {@code pipeline.sql}, a golden
 * {@code topology.txt} and {@code cases/<case>/} holding inputs ({@code input/<SOURCE>.jsonl}, or
 * {@code inputs.txt} lines {@code SOURCE=relative/path}) and {@code expected.jsonl}.
 */
final class Pipelines {
    /** NOW() in cases: a fixed instant, so expected rows do not depend on when tests run. */
    static final long FIXED_NOW = Instant.parse("2024-01-16T00:00:00Z").toEpochMilli();

    private Pipelines() {
    }

    static Path root() {
        return Path.of(System.getProperty("sluice.topologies.dir", ".")).toAbsolutePath();
    }

    static List<Path> all() {
        try (Stream<Path> dirs = Files.list(root())) {
            // -Dsluice.pipelines=a,b runs only those pipelines (a narrow run while working on them)
            String only = System.getProperty("sluice.pipelines", "");
            java.util.Set<String> names = only.isBlank() ? java.util.Set.of() : java.util.Set.of(only.split(","));
            return dirs.filter(d -> Files.exists(d.resolve("pipeline.sql")))
                    .filter(d -> names.isEmpty() || names.contains(d.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompiledScript compile(Path pipeline, BuildOptions options) {
        Path script = pipeline.resolve("pipeline.sql");
        return ScriptFiles.compile(script, ScriptFiles.read(script), new DefaultFunctionCatalog(() -> FIXED_NOW),
                options);
    }

    /** As {@code sluice run} compiles it when every source topic has one partition (the onetask rule). */
    static CompiledScript compileForOnePartition(Path pipeline, BuildOptions options) {
        Path script = pipeline.resolve("pipeline.sql");
        return ScriptFiles.compile(script, ScriptFiles.read(script), new DefaultFunctionCatalog(() -> FIXED_NOW),
                options, java.util.Optional.empty(), java.util.Optional.empty(), true);
    }

    static List<Path> cases(Path pipeline) {
        Path cases = pipeline.resolve("cases");
        if (!Files.isDirectory(cases)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(cases)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ReplayInput> inputs(Path caseDir) throws IOException {
        List<ReplayInput> inputs = new ArrayList<>();
        Path listed = caseDir.resolve("inputs.txt");
        if (Files.exists(listed)) {
            for (String line : Files.readAllLines(listed)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ReplayInput in = ReplayInput.parse(line);
                    inputs.add(new ReplayInput(in.source(), caseDir.resolve(in.file()).normalize()));
                }
            }
        }
        Path dir = caseDir.resolve("input");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    inputs.add(new ReplayInput(name.substring(0, name.lastIndexOf('.')), f));
                }
            }
        }
        return inputs;
    }
}

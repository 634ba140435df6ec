package dev.sluice.cli;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.function.FunctionCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and compiles a script file; the name of the file (without .sql) names the application. */
public final class ScriptFiles {
    private ScriptFiles() {
    }

    public static String read(Path script) {
        try {
            return Files.readString(script);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read " + script + ": no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read " + script + ": " + e.getMessage());
        }
    }

    public static String name(Path script) {
        String file = script.getFileName().toString();
        if (file.equals("pipeline.sql") && script.toAbsolutePath().getParent() != null) {
            file = script.toAbsolutePath().getParent().getFileName().toString();
        }
        return file.endsWith(".sql") ? file.substring(0, file.length() - 4) : file;
    }

    public static CompiledScript compile(Path script, String sql, FunctionCatalog functions, BuildOptions options) {
        return new SluiceCompiler(functions).compile(sql, name(script), options);
    }

    /** With {@code kafka}, topics read without declared columns are sampled on that cluster. */
    public static CompiledScript compile(Path script, String sql, FunctionCatalog functions, BuildOptions options,
                                         java.util.Optional<String> kafka) {
        return new SluiceCompiler(functions).withDiscovery(new dev.sluice.compiler.endpoint.Discovery(kafka))
                .compile(sql, name(script), options);
    }

    /** With {@code backend}, every store on it whatever the script SETs ({@code state.backend.type} in --config). */
    public static CompiledScript compile(Path script, String sql, FunctionCatalog functions, BuildOptions options,
                                         java.util.Optional<String> kafka,
                                         java.util.Optional<dev.sluice.runtime.build.StateBackend> backend) {
        return compile(script, sql, functions, options, kafka, backend, false);
    }

    /**
     * {@code singlePartitionSources}: every source topic has exactly one partition, so the optimizer
     * re-keys in the task ({@code onetask}; {@code sluice run} finds it out, {@code --source-partitions 1} says it).
     */
    public static CompiledScript compile(Path script, String sql, FunctionCatalog functions, BuildOptions options,
                                         java.util.Optional<String> kafka,
                                         java.util.Optional<dev.sluice.runtime.build.StateBackend> backend,
                                         boolean singlePartitionSources) {
        SluiceCompiler compiler = new SluiceCompiler(functions).withDiscovery(new dev.sluice.compiler.endpoint.Discovery(kafka))
                .withSinglePartitionSources(singlePartitionSources);
        return backend.map(compiler::withStateBackend).orElse(compiler).compile(sql, name(script), options);
    }

    /**
     * The script compiled for source topics of one partition, from the script alone (offline): empty
     * when its columns come from discovery (a sampled topic or endpoint), which a second compilation
     * would read again and might see differently (or, for an endpoint, not at all): such a script
     * keeps the partitioned plan.
     */
    public static java.util.Optional<CompiledScript> compileOfflineForOnePartition(
            Path script, String sql, FunctionCatalog functions, BuildOptions options,
            java.util.Optional<dev.sluice.runtime.build.StateBackend> backend) {
        SluiceCompiler compiler = new SluiceCompiler(functions).withDiscovery(dev.sluice.compiler.endpoint.Discovery.OFFLINE)
                .withSinglePartitionSources(true);
        try {
            return java.util.Optional.of(backend.map(compiler::withStateBackend).orElse(compiler)
                    .compile(sql, name(script), options));
        } catch (dev.sluice.grammar.SqlException e) {
            return java.util.Optional.empty();
        }
    }

    public static CompiledScript compile(Path script, BuildOptions options) {
        return compile(script, read(script), DefaultFunctionCatalog.wallClock(), options);
    }
}

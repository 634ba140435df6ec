package dev.sluice.cli.commands;

import dev.sluice.cli.ErrorReport;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.FunctionCatalog;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** A command over one script: compiles it and reports SQL errors with file:line:col and a caret. */
abstract class ScriptCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "the SQL script")
    Path script;

    @picocli.CommandLine.Option(names = "--udf-jar", paramLabel = "FILE",
            description = "a jar (or class directory) with the classes of the script's CREATE FUNCTION statements, or declaring "
                    + "functions in META-INF/sluice/functions.properties (repeatable)")
    java.util.List<Path> udfJars = new java.util.ArrayList<>();
    @picocli.CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "sample Kafka topics read without declared columns on this cluster")
    String bootstrapServers;
    @picocli.CommandLine.Option(names = "--source-partitions", paramLabel = "N",
            description = "the source topics' partition count, as sluice run finds it on the cluster: with 1, every "
                    + "re-key happens in the task, without repartition topics (the optimizer's onetask rule). "
                    + "Default: unknown (the partitioned plan)")
    Integer sourcePartitions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() {
        dev.sluice.cli.UdfJars.install(udfJars);
        String sql = ScriptFiles.read(script);
        CompiledScript compiled;
        try {
            if (sourcePartitions != null && sourcePartitions < 1) {
                throw new dev.sluice.cli.UsageException("--source-partitions must be at least 1, got " + sourcePartitions);
            }
            compiled = ScriptFiles.compile(script, sql, functions(), buildOptions(),
                    java.util.Optional.ofNullable(bootstrapServers), java.util.Optional.empty(),
                    sourcePartitions != null && sourcePartitions == 1);
        } catch (SqlException e) {
            err().print(ErrorReport.format(e, script.toString(), sql));
            err().flush();
            return ExitCodes.DATA_ERROR;
        }
        return run(compiled);
    }

    abstract int run(CompiledScript compiled);

    BuildOptions buildOptions() {
        return BuildOptions.PRODUCTION;
    }

    FunctionCatalog functions() {
        return dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}

package dev.sluice.cli.commands;

import dev.sluice.cli.run.StreamsProperties;
import dev.sluice.cli.ErrorReport;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.UsageException;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.run.Durations;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RowWriter;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * Runs a script on Kafka: all its queries as one Kafka Streams application. Without
 * --bootstrap-servers it starts an embedded single-node broker and feeds it the --input files.
 *
 * <p>Not a {@link ScriptCommand}: {@code '${ENV_VAR}'} literals are resolved before compiling, and
 * a SQL error must still show the script as written, never a resolved secret.
 */
@Command(name = "run", description = "Run a script on Kafka (an embedded broker unless --bootstrap-servers is given).")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "the SQL script")
    Path script;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "an existing Kafka cluster")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Kafka Streams and client properties (override SET)")
    Path config;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "write JSON-lines records into a source's topic first")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "keep the embedded broker's data and the state here")
    Path dataDir;

    @Option(names = "--create-topics", description = "create missing source topics instead of failing")
    boolean createTopics;

    @Option(names = "--format", description = "jsonl, table or records (each output record's key, window, timestamp "
            + "and value; deletes as tombstones). Default: table on a terminal, else jsonl")
    String format;

    @Option(names = "--changelog",
            description = "print the changelog (op +I/-U/+U/-D, in order, as Flink prints it and as replay --changelog does)")
    boolean changelog;

    @Option(names = "--ops-port", paramLabel = "N", description = "serve /health, /ready and /metrics on this port (0: any free port)")
    Integer opsPort;

    @Option(names = "--http-port", paramLabel = "N",
            description = "serve the query API (ksqlDB's /query-stream and /ksql) and the web console on this port (0: any free port)")
    Integer httpPort;

    @Option(names = "--http-bind", paramLabel = "HOST", description = "the address the query API listens on (default 127.0.0.1)")
    String httpBind = "127.0.0.1";

    @Option(names = "--http-advertise", paramLabel = "HOST",
            description = "the host other instances reach this one at (default: the bind address)")
    String httpAdvertise;

    @Option(names = "--http-auth", paramLabel = "USER:PASSWORD",
            description = "require basic auth on the query API and the ops endpoint's /metrics; write the password as ${ENV_VAR} (or use --http-auth-file)")
    String httpAuth;

    @Option(names = "--http-auth-file", paramLabel = "FILE", description = "a file holding USER:PASSWORD for basic auth")
    Path httpAuthFile;

    @Option(names = "--http-tls-keystore", paramLabel = "FILE", description = "serve HTTPS (query API and ops endpoint) with this PKCS12 key store")
    Path httpTlsKeystore;

    @Option(names = "--http-tls-password", paramLabel = "PASSWORD", description = "the key store's password, as ${ENV_VAR}")
    String httpTlsPassword;

    @Option(names = "--ops-bind", paramLabel = "ADDRESS",
            description = "the address the ops endpoint listens on (default 127.0.0.1; 0.0.0.0 in a container)")
    String opsBind;

    @Option(names = "--max-rows", paramLabel = "N", description = "stop after printing N rows")
    Long maxRows;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "stop after this long (e.g. 30s, 5m)")
    String timeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "stop once every input record is processed through every sub-topology and committed, "
                    + "and nothing moved for this long; 0: never "
                    + "(default: 1s with the embedded broker, never with --bootstrap-servers)")
    String idleTimeout;

    @Option(names = "--udf-jar", paramLabel = "FILE",
            description = "a jar (or class directory) with the classes of the script's CREATE FUNCTION statements, or declaring "
                    + "functions in META-INF/sluice/functions.properties (repeatable)")
    List<Path> udfJars = new ArrayList<>();

    @Option(names = "--reset-incompatible-state",
            description = "if the application's state on the cluster cannot be resumed by this version of the script, "
                    + "delete it (internal topics, consumer offsets, local state) and start afresh instead of "
                    + "refusing with exit code 78")
    boolean resetIncompatibleState;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        dev.sluice.cli.UdfJars.install(udfJars);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        String sql = ScriptFiles.read(script);
        EnvPlaceholders env = EnvPlaceholders.system();
        CompiledScript compiled;
        String resolved = env.resolveSqlLiterals(sql);
        var backend = StreamsProperties.stateBackend(Optional.ofNullable(config), env);
        try {
            compiled = ScriptFiles.compile(script, resolved,
                    dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock(), BuildOptions.PRODUCTION,
                    Optional.ofNullable(bootstrapServers), backend);
        } catch (SqlException e) {
            err.print(ErrorReport.format(e, script.toString(), sql));
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        RunOptions options = new RunOptions(Optional.ofNullable(bootstrapServers), Optional.ofNullable(config),
                inputs.stream().map(ReplayInput::parse).toList(), Optional.ofNullable(dataDir), createTopics,
                format(), opsPort == null ? OptionalInt.empty() : OptionalInt.of(opsPort),
                maxRows == null ? OptionalLong.empty() : OptionalLong.of(maxRows),
                Optional.ofNullable(timeout).map(t -> Durations.parse("--timeout", t)),
                Optional.ofNullable(idleTimeout).map(t -> Durations.parse("--idle-timeout", t))
                        .or(() -> httpPort != null ? Optional.of(Duration.ZERO) : Optional.empty()), // serve until stopped
                System.console() != null, Duration.ofSeconds(30), opsBind, changelog);
        if (maxRows != null && maxRows < 1) {
            throw new UsageException("--max-rows must be at least 1, got " + maxRows);
        }
        ServeFlags.Security security = ServeFlags.security(httpAuth, httpAuthFile, httpTlsKeystore, httpTlsPassword, env);
        PipelineRun run = new PipelineRun(compiled, options, env, out, err).securing(security.credentials(), security.tls())
                .resetIncompatibleState(resetIncompatibleState)
                // the plan for sources of one partition, compiled once the run found that they have one;
                // a script whose columns are discovered keeps its plan (no second sampling)
                .planningForOnePartition(() -> ScriptFiles.compileOfflineForOnePartition(script, resolved,
                        dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock(), BuildOptions.PRODUCTION, backend)
                        .orElse(compiled));
        if (httpPort != null) {
            run.serving(ServeFlags.options(httpPort, httpBind, httpAdvertise, security), env.resolveSqlLiterals(sql));
        }
        try {
            return run.run().exitCode();
        } catch (UsageException e) {
            throw e;
        } catch (RuntimeException e) {
            // the broker, the network, a topic: say what failed without a stack trace
            err.println("sluice: " + e.getMessage());
            err.flush();
            return ExitCodes.INTERNAL;
        }
    }

    private RowWriter.Format format() {
        String mode = format != null ? format : System.console() != null ? "table" : "jsonl";
        return switch (mode) {
            case "table" -> RowWriter.Format.TABLE;
            case "jsonl" -> RowWriter.Format.JSONL;
            case "records" -> RowWriter.Format.RECORDS;
            default -> throw new UsageException("--format must be jsonl, table or records, not " + format);
        };
    }
}

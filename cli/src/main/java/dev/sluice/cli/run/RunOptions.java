package dev.sluice.cli.run;

import dev.sluice.cli.replay.ReplayInput;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@code sluice run} was asked to do. {@code idleTimeout}: stop once every record of the
 * sources has been processed by every sub-topology and committed ({@link Backlog#drained()}), all
 * committed output is printed, and nothing moved for this long (defaults to a second with the
 * embedded broker, whose topics nobody else writes, and to never with an external one). However
 * long a batch takes, the run never stops before the input is processed. {@code changelog}: print
 * Flink's changelog (+I/-U/+U/-D with the replaced row) as {@code replay --changelog} does, instead
 * of the rows as they arrive.
 */
public record RunOptions(Optional<String> bootstrapServers, Optional<Path> configFile, List<ReplayInput> inputs,
                         Optional<Path> dataDir, boolean createTopics, RowWriter.Format format, OptionalInt opsPort,
                         OptionalLong maxRows, Optional<Duration> timeout, Optional<Duration> idleTimeout,
                         boolean statusLine, Duration closeTimeout, String opsBind, boolean changelog) {
    public static final Duration EMBEDDED_IDLE_TIMEOUT = Duration.ofSeconds(1);

    /** The ops endpoint listens here unless told otherwise: nothing outside the machine reaches it by accident. */
    public static final String DEFAULT_OPS_BIND = "127.0.0.1";

    public RunOptions {
        inputs = List.copyOf(inputs);
        opsBind = opsBind == null ? DEFAULT_OPS_BIND : opsBind;
    }

    /** Options for a run against {@code bootstrapServers} (null: the embedded broker) with defaults otherwise. */
    public static RunOptions defaults(String bootstrapServers) {
        return new RunOptions(Optional.ofNullable(bootstrapServers), Optional.empty(), List.of(), Optional.empty(),
                false, RowWriter.Format.JSONL, OptionalInt.empty(), OptionalLong.empty(), Optional.empty(),
                Optional.empty(), false, Duration.ofSeconds(30), DEFAULT_OPS_BIND, false);
    }

    public RunOptions withInputs(List<ReplayInput> inputs) {
        return new RunOptions(bootstrapServers, configFile, inputs, dataDir, createTopics, format, opsPort, maxRows,
                timeout, idleTimeout, statusLine, closeTimeout, opsBind, changelog);
    }

    public RunOptions withStops(OptionalLong maxRows, Optional<Duration> timeout, Optional<Duration> idleTimeout) {
        return new RunOptions(bootstrapServers, configFile, inputs, dataDir, createTopics, format, opsPort, maxRows,
                timeout, idleTimeout, statusLine, closeTimeout, opsBind, changelog);
    }

    public RunOptions withConfigFile(Path file) {
        return new RunOptions(bootstrapServers, Optional.of(file), inputs, dataDir, createTopics, format, opsPort,
                maxRows, timeout, idleTimeout, statusLine, closeTimeout, opsBind, changelog);
    }

    public RunOptions withCreateTopics(boolean create) {
        return new RunOptions(bootstrapServers, configFile, inputs, dataDir, create, format, opsPort, maxRows,
                timeout, idleTimeout, statusLine, closeTimeout, opsBind, changelog);
    }

    public RunOptions withChangelog(boolean changelog) {
        return new RunOptions(bootstrapServers, configFile, inputs, dataDir, createTopics, format, opsPort, maxRows,
                timeout, idleTimeout, statusLine, closeTimeout, opsBind, changelog);
    }
}

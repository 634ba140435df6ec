package dev.sluice.cli.replay;

import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;

/**
 * What a TopologyTestDriver run of a compiled script needs, shared by {@code sluice replay} (and
 * the query API's evaluator) and the QTT runner: its settings and a temporary state directory.
 */
public final class DriverRuns {
    private DriverRuns() {
    }

    /**
     * {@code defaults} (the caller's handlers), then the script's SETs, which may override them, then
     * what a driver run must have whatever the script says: its identity, its state directory, the
     * record cache off (every update of a table is an output record) and outer joins' padded rows
     * emitted as soon as they are due (the driver's wall clock does not move).
     */
    public static Properties config(Properties defaults, CompiledScript script, Path stateDir, String bootstrap) {
        Properties props = new Properties();
        props.putAll(defaults);
        props.putAll(script.settings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, script.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        // Outer stream-stream joins emit padded rows at most once per this wall-clock interval
        // (default 1 s); the driver's clock does not move, so emit them as soon as they are due.
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX, 0L);
        // EMIT FINAL windows built with emitStrategy(onWindowClose()) (ksqlDB's) likewise: its test
        // runner sets this to 0 too
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
        return props;
    }

    /** A fresh state directory for one run; {@link #deleteQuietly} removes it after. */
    public static Path stateDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}

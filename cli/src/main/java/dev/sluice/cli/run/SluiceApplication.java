package dev.sluice.cli.run;

import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How {@code sluice run} turns a compiled script into a Kafka Streams application: its configuration
 * (Sluice's defaults with the record handlers that count, log and dead-letter bad and late records,
 * then the user's settings) and its client (with the handler that stops the run when a stream thread
 * dies). Anything else that starts a Sluice topology on a broker (the benchmarks) goes through here,
 * so that what it measures is what a user runs.
 */
public final class SluiceApplication {
    private SluiceApplication() {
    }

    /**
     * The complete configuration of {@code script}'s application: {@link StreamsProperties#build} over
     * {@code userSettings} (SET statements, --config), plus, on the embedded broker, window changelogs
     * kept regardless of the wall clock: their retention.ms is window + grace + the additional
     * retention, which the broker enforces against the wall clock, so a local replay of last year's
     * data would lose its window state to the first retention check. A local run is bounded; keep them.
     */
    public static Properties properties(CompiledScript script, Map<String, String> userSettings, String bootstrapServers,
                                        Path stateDir, boolean embeddedBroker) {
        Map<String, String> settings = new LinkedHashMap<>(userSettings);
        if (embeddedBroker) {
            settings.putIfAbsent(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG,
                    String.valueOf(Duration.ofDays(365L * 100).toMillis()));
        }
        return StreamsProperties.build(script.applicationId(), settings, bootstrapServers, stateDir);
    }

    /**
     * A new, not yet started client of {@code script}'s topology. A stream thread that dies (an error
     * no record handler took) shuts the whole client down and leaves its cause in {@code fatal}: the
     * run then ends with it instead of carrying on with fewer threads.
     */
    public static KafkaStreams client(CompiledScript script, Properties props, KafkaClientSupplier clients,
                                      AtomicReference<Throwable> fatal) {
        return stopOnDeadThread(new KafkaStreams(script.topology(), props, clients), fatal);
    }

    /** {@link #client(CompiledScript, Properties, KafkaClientSupplier, AtomicReference)} with Kafka's own clients. */
    public static KafkaStreams client(CompiledScript script, Properties props, AtomicReference<Throwable> fatal) {
        return stopOnDeadThread(new KafkaStreams(script.topology(), props), fatal);
    }

    private static KafkaStreams stopOnDeadThread(KafkaStreams client, AtomicReference<Throwable> fatal) {
        client.setUncaughtExceptionHandler(e -> {
            fatal.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        return client;
    }
}

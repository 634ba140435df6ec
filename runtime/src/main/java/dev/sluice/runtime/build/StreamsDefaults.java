package dev.sluice.runtime.build;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/**
 * The one place that owns the Kafka Streams settings every Sluice topology needs, whether it is
 * only compiled, replayed through TopologyTestDriver or run on a broker. Callers put these first
 * and their own settings (the script's SETs, a config file) after, so a user can still override.
 */
public final class StreamsDefaults {
    private StreamsDefaults() {
    }

    public static Properties defaults() {
        Properties p = new Properties();
        // Sluice names every processor, store and topic itself and runs its own optimizer; Kafka
        // Streams' rewrites would rename or merge them behind the plan's back.
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // Kafka Streams refuses a generated store or internal topic name while the topology is built.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // A bad record is counted, logged with topic-partition@offset and dead-lettered, never fatal.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                SluiceExceptionHandlers.Deserialization.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        p.put("processing.exception.handler.global.enabled", "true");
        // Replay (TopologyTestDriver) must see every update of a table, so the cache is off here;
        // `sluice run` turns it on (cli's StreamsProperties), where it saves store writes and changelog
        // records between commits.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        return p;
    }
}

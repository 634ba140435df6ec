package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.TreeMap;

/** What the aggregate scenario tests share: the driver's settings and reading the rows it emits. */
final class ScenarioSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioSettings() {
    }

    /**
     * Late and failing records are dead-lettered (to {@code s-dlq}) and the pipeline goes on, as in
     * production; {@code cache} turns on a 10 MB record cache, which folds updates before they are
     * emitted.
     */
    static Map<String, String> deadLettering(boolean cache) {
        Map<String, String> settings = new TreeMap<>();
        settings.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        settings.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "s-dlq");
        if (cache) {
            settings.put("statestore.cache.max.bytes", "10485760");
        }
        return settings;
    }

    /** An emitted row's JSON, or null for the text {@code null} (a tombstone). */
    static JsonNode json(String text) {
        try {
            return text.equals("null") ? null : JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}

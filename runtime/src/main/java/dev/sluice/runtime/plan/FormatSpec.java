package dev.sluice.runtime.plan;

import java.util.Map;

/**
 * The topic, the WITH properties that select and configure its key and value formats (each format
 * reads its own options; the compiler has checked them by building the serdes once), and the
 * typed settings for creating the topic.
 */
public record FormatSpec(String topic, Map<String, String> properties, TopicSettings topicSettings) {
    public FormatSpec {
        properties = Map.copyOf(properties);
    }

    /** A topic Sluice does not create, or creates with the broker's defaults. */
    public FormatSpec(String topic, Map<String, String> properties) {
        this(topic, properties, TopicSettings.DEFAULT);
    }
}

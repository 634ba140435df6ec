package dev.sluice.runtime.plan;

import java.util.Map;

/** The topic and the WITH properties that select and configure its key and value formats. */
public record FormatSpec(String topic, Map<String, String> properties) {
    public FormatSpec {
        properties = Map.copyOf(properties);
    }
}

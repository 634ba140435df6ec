package dev.sluice.serdes.format;

import java.util.Map;
import java.util.Optional;

/**
 * The properties a format may read, from the source's or sink's {@code WITH (...)} list (keys lower
 * case, both {@code 'schema.registry.url'} and {@code schema_registry_url} spellings kept as written)
 * plus the topic the serde is for.
 */
public record FormatOptions(String topic, Map<String, String> properties) {
    public FormatOptions {
        properties = Map.copyOf(properties);
    }

    public Optional<String> get(String... keys) {
        for (String key : keys) {
            String v = properties.get(key);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

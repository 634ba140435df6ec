package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.runtime.plan.Step;

import java.util.List;
import java.util.Map;

/**
 * What a CREATE ... AS SELECT's sink takes over from its (first) source's format when its WITH
 * clause does not say: the value format and schema registry, and in ksqlDB the key format and the
 * delimiter. The sink's topic is then readable by whoever reads the source's.
 */
final class SinkFormatInheritance {
    private SinkFormatInheritance() {
    }

    /**
     * A sink without a format of its own writes what its (first) source is written in; a sink that
     * names its format still finds the source's schema registry unless it names one.
     */
    static void inheritFormat(Map<String, String> props, Step root, Catalog catalog) {
        List<String> sources = Steps.sources(root);
        if (sources.isEmpty()) {
            return;
        }
        boolean ownFormat = props.containsKey("format") || props.containsKey("value_format")
                || props.containsKey("value.format");
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlSinks.inheritKeyFormat(props, sources, catalog);
        }
        catalog.lookup(sources.get(0)).ifPresent(s -> {
            List<String> keys = ownFormat ? List.of("schema_registry_url", "schema.registry.url")
                    : List.of("format", "value_format", "value.format", "schema_registry_url", "schema.registry.url");
            for (String key : keys) {
                String v = s.format().properties().get(key);
                if (v != null) {
                    props.putIfAbsent(key, v);
                }
            }
            if (catalog.dialect() == Dialect.KSQL) {
                inheritDelimiter(props, s.format().properties());
            }
        });
    }

    /**
     * ksqlDB: a sink in its source's value format keeps the source's delimiter unless it names its
     * own (ksqlDB's inheritable format properties).
     */
    private static void inheritDelimiter(Map<String, String> props, Map<String, String> source) {
        String sourceFormat = valueFormatOf(source);
        String delimiter = source.get("value_delimiter");
        if (delimiter != null && sourceFormat != null && sourceFormat.equalsIgnoreCase(valueFormatOf(props))) {
            props.putIfAbsent("value_delimiter", delimiter);
        }
    }

    private static String valueFormatOf(Map<String, String> props) {
        return props.getOrDefault("value_format", props.getOrDefault("format", props.get("value.format")));
    }
}

package dev.sluice.compiler.endpoint;

import java.util.Map;

/**
 * One Kafka Connect connector a script needs: its name (also its topic's, both named after the
 * query), the configuration exactly as a Connect cluster's REST API takes it
 * ({@code PUT /connectors/<name>/config}), the topic it feeds or drains, and the endpoint it serves.
 * Secrets stay {@code ${env:NAME}} references, which the worker's EnvVarConfigProvider resolves.
 */
public record ConnectorPlan(String name, Direction direction, String query, String endpoint, String topic,
                            Map<String, String> config) {
    public enum Direction { SOURCE, SINK }

    public ConnectorPlan {
        config = Map.copyOf(new java.util.TreeMap<>(config));
    }

    public String connectorClass() {
        return config.get("connector.class");
    }

    /** Sluice's own connectors run from its plugin; the others (Debezium) must be installed. */
    public boolean sluicePlugin() {
        return connectorClass().startsWith("dev.sluice.connect.");
    }
}

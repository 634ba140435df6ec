package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 001's circuit breaker on a PostgreSQL source: the planned connector (Debezium, or the JDBC
 * query poller) runs inside Sluice's {@code CircuitBreakerSourceConnector}, which counts failed polls,
 * opens at {@code failure_threshold}, writes the rows of {@code fallback_query} (run once per opening,
 * on the same database) to the connector's topic, tries the source again after {@code timeout_seconds}
 * and closes after {@code success_threshold} successful polls (connect/.../breaker).
 */
public final class CircuitBreakerPlan {
    private CircuitBreakerPlan() {
    }

    /**
     * The fallback query's rows are written as the source's rows: each of its columns must be one of the
     * source's, of the same type; the source's other columns read as NULL, so a table's key must be there.
     */
    public static void checkFallback(Endpoint.Postgres pg, Map<String, String> options, Schema source, List<String> key,
                                     boolean changeStream, NodeLocation where) {
        String fallback = options.get("fallback_query");
        if (fallback == null) {
            return;
        }
        if (changeStream) {
            throw new SqlException(where, "fallback_query cannot stand in for a change stream: its rows are not"
                    + " changes (operation, before, after)", "read the table (mode = 'table') or a query");
        }
        Schema rows = PostgresCatalog.describeQuery(pg, fallback, where);
        for (Column c : rows.columns()) {
            var i = source.indexOf(c.name());
            if (i.isEmpty()) {
                throw new SqlException(where, "fallback_query returns a column `" + c.name() + "` that "
                        + pg.display() + " does not have", "its columns must be the source's: "
                        + source.columns().stream().map(Column::name).toList());
            }
            if (!source.type(i.getAsInt()).equals(c.type())) {
                throw new SqlException(where, "fallback_query returns `" + c.name() + "` as " + c.type().sql()
                        + ", the source has it as " + source.type(i.getAsInt()).sql(), "CAST it in the fallback query");
            }
        }
        for (String k : key) {
            if (rows.indexOf(k).isEmpty()) {
                throw new SqlException(where, "fallback_query does not return `" + k + "`, the key of " + pg.display());
            }
        }
    }

    static void wrap(Map<String, String> c, Endpoint.Postgres pg, Map<String, String> options, String topic,
                     boolean textValues, List<String> keyColumns) {
        c.put("breaker.delegate.connector.class", c.get("connector.class"));
        c.put("connector.class", "dev.sluice.connect.breaker.CircuitBreakerSourceConnector");
        c.put("breaker.failure.threshold", options.getOrDefault("failure_threshold", "5").strip());
        c.put("breaker.success.threshold", options.getOrDefault("success_threshold", "1").strip());
        c.put("breaker.timeout.ms", Long.toString(Long.parseLong(options.getOrDefault("timeout_seconds", "30").strip()) * 1000));
        Optional.ofNullable(options.get("fallback_query")).ifPresent(q -> c.put("breaker.fallback.query", q));
        c.put("breaker.fallback.topic", topic);
        c.put("breaker.fallback.value", textValues ? "json-text" : "map");
        c.put("breaker.fallback.key.columns", String.join(",", keyColumns));
        c.put("breaker.connection.url", pg.jdbcUrl());
        c.put("breaker.connection.user", Secrets.toConnect(pg.user().orElse(options.getOrDefault("user", "postgres"))));
        pg.password().or(() -> Optional.ofNullable(options.get("password")))
                .ifPresent(p -> c.put("breaker.connection.password", Secrets.toConnect(p)));
    }
}

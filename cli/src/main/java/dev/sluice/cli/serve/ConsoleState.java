package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.runtime.build.TargetLags;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the web console shows, in one JSON document: the application's state, its queries, the served
 * tables, the topology as a graph, and the system tables for rates, lag and watermarks.
 */
final class ConsoleState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleState() {
    }

    static Map<String, Object> of(ServeContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applicationId", ctx.application().applicationId());
        out.put("state", ctx.paused() ? "PAUSED" : ctx.streams().state().toString());
        out.put("instance", ctx.self().host() + ":" + ctx.self().port());
        List<Map<String, Object>> queries = new ArrayList<>();
        for (CompiledQuery q : ctx.application().queries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", q.id());
            m.put("kind", q.persistent() ? (q.table() ? "TABLE" : "STREAM") : "SELECT");
            m.put("sink", q.outputTopic());
            m.put("sql", q.sql().strip());
            TargetLags.of(q.id() + "-target-lag").ifPresent(t -> {
                m.put("targetLagMs", t.lagMs());
                m.put("lastRefresh", t.lastRefreshMillis());
            });
            queries.add(m);
        }
        out.put("queries", queries);
        out.put("tables", ctx.served().values().stream().map(s -> s.source().name()).toList());
        out.put("graph", TopologyGraph.of(ctx.application().topology().describe()).json());
        out.put("statistics", table("stream_statistics", ctx));
        out.put("lag", table("kafka_consumer_status", ctx));
        out.put("watermarks", table("watermarks", ctx));
        return out;
    }

    private static List<JsonNode> table(String name, ServeContext ctx) {
        List<JsonNode> rows = new ArrayList<>();
        try {
            for (byte[] row : SystemTables.rows(name, ctx)) {
                rows.add(JSON.readTree(new String(row, StandardCharsets.UTF_8)));
            }
        } catch (Exception e) {
            rows.add(JSON.createObjectNode().put("error", e.getMessage()));
        }
        return rows;
    }
}

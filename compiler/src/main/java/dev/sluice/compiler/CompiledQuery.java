package dev.sluice.compiler;

import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Optional;

/**
 * One query of a script after compilation. {@code persistent} queries write a sink (CREATE ... AS,
 * INSERT INTO); a bare SELECT is transient: its rows go to {@code outputTopic} for printing, with
 * its ORDER BY / LIMIT applied to the printed rows. {@code table} says the output is a changelog
 * (a non-windowed GROUP BY): one current row per key.
 */
public record CompiledQuery(String id, String sql, boolean persistent, QueryPlan plan, List<String> sources,
                            String outputTopic, Schema keySchema, Schema schema, boolean table,
                            List<SortItem> orderBy, Optional<Long> limit, int line) {
    public CompiledQuery {
        sources = List.copyOf(sources);
        orderBy = List.copyOf(orderBy);
    }

    /** A query of the script's statement {@code text} (at {@code line}), its sources and schemas read from the plan. */
    static CompiledQuery of(String id, String text, boolean persistent, QueryPlan plan, String topic, Query query,
                            int line) {
        Step root = plan.root();
        return new CompiledQuery(id, text.strip(), persistent, plan, Steps.sources(root), topic, root.keySchema(),
                plan.outputSchema(), plan.changelogOutput(), query.orderBy(), query.limit(), line);
    }

    /** The same query with the plan the optimizer rewrote it to. */
    CompiledQuery withPlan(QueryPlan optimized) {
        return new CompiledQuery(id, sql, persistent, optimized, sources, outputTopic, keySchema, schema, table,
                orderBy, limit, line);
    }
}

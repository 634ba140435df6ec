package dev.sluice.compiler;

import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.plan.QueryPlan;
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
}

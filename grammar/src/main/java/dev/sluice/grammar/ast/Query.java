package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/**
 * A full query: {@code [WITH ctes] body [ORDER BY ...] [LIMIT n] [EMIT ...]}.
 *
 * <p>The trailing options of the seeds' dialect ({@code ... FROM 'kafka://...' WITH (format = 'json')})
 * and sinks ({@code INTO 'kafka://...'}) belong to the {@link QueryBody.Select} they follow.
 */
public record Query(List<WithQuery> with, QueryBody body, List<SortItem> orderBy, Optional<Long> limit,
                    Optional<Emit> emit, NodeLocation location) implements Node {
    public Query {
        with = List.copyOf(with);
        orderBy = List.copyOf(orderBy);
    }

    /** One CTE: {@code name [(col, ...)] AS (query)}. */
    public record WithQuery(Identifier name, List<Identifier> columnNames, Query query, NodeLocation location)
            implements Node {
        public WithQuery {
            columnNames = List.copyOf(columnNames);
        }
    }
}

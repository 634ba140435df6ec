package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

public sealed interface QueryBody extends Node {

    /**
     * One SELECT block. {@code distinctOn} is PostgreSQL's {@code DISTINCT ON (...)};
     * {@code window} is ksqlDB's {@code WINDOW ...} clause; {@code into} lists sink URIs or names
     * written as {@code INTO ...}; {@code options} is a {@code WITH (...)} written after the block.
     */
    record Select(boolean distinct, List<Expression> distinctOn, List<SelectItem> items,
                  Optional<Relation> from, Optional<WindowClause> window, Optional<Expression> where,
                  List<Expression> groupBy, Optional<Expression> having, Optional<Expression> qualify,
                  List<SinkTarget> into, List<Property> options, NodeLocation location,
                  List<Expression> partitionBy) implements QueryBody {
        public Select {
            partitionBy = List.copyOf(partitionBy);
            distinctOn = List.copyOf(distinctOn);
            items = List.copyOf(items);
            groupBy = List.copyOf(groupBy);
            into = List.copyOf(into);
            options = List.copyOf(options);
        }

        /** Without ksqlDB's {@code PARTITION BY}. */
        public Select(boolean distinct, List<Expression> distinctOn, List<SelectItem> items,
                      Optional<Relation> from, Optional<WindowClause> window, Optional<Expression> where,
                      List<Expression> groupBy, Optional<Expression> having, Optional<Expression> qualify,
                      List<SinkTarget> into, List<Property> options, NodeLocation location) {
            this(distinct, distinctOn, items, from, window, where, groupBy, having, qualify, into, options, location,
                    List.of());
        }
    }

    /** {@code left UNION [ALL] right} (also INTERSECT / EXCEPT, which the analyzer rejects). */
    record SetOperation(String operator, boolean all, QueryBody left, QueryBody right, NodeLocation location)
            implements QueryBody {
    }

    /** A parenthesised query used as a body: {@code (SELECT ...) UNION ALL (SELECT ...)}. */
    record Nested(Query query, NodeLocation location) implements QueryBody {
    }

    /** A sink named in {@code INTO}: a URI ({@code 'kafka://h:9092/t'}) or a name. */
    record SinkTarget(Optional<String> uri, Optional<QualifiedName> name, NodeLocation location) implements Node {
    }
}

package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/** What a FROM clause reads. */
public sealed interface Relation extends Node {

    /** A declared stream or table, a CTE name, or a dotted catalog name. */
    record Table(QualifiedName name, Optional<Identifier> alias, NodeLocation location) implements Relation {
    }

    /**
     * Flink's lookup join side: {@code dim FOR SYSTEM_TIME AS OF s.proc_time [AS d]}. Each record
     * of the other side is joined with the row {@code table} holds for its key at that moment.
     */
    record TemporalTable(QualifiedName name, Expression asOf, Optional<Identifier> alias, NodeLocation location)
            implements Relation {
    }

    /** A source written as a URI: {@code FROM 'kafka://host:9092/topic' o}. */
    record UriSource(String uri, Optional<Identifier> alias, NodeLocation location) implements Relation {
    }

    /** {@code (SELECT ...) alias}. */
    record Subquery(Query query, Optional<Identifier> alias, NodeLocation location) implements Relation {
    }

    enum JoinType { INNER, LEFT, RIGHT, FULL, CROSS }

    /** {@code left [INNER|LEFT|RIGHT|FULL] JOIN right [WITHIN ...] ON condition}; CROSS has no condition. */
    record Join(JoinType type, Relation left, Relation right, Optional<Expression> condition,
                Optional<JoinWithin> within, NodeLocation location) implements Relation {
    }

    /**
     * A window table-valued function:
     * {@code TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '5' MINUTES))}. {@code function} is upper
     * case (TUMBLE, HOP, SESSION, CUMULATE); {@code arguments} are the intervals in order;
     * {@code partitionKeys} is SESSION's {@code PARTITION BY} list when written inside the call.
     */
    record WindowTableFunction(String function, Relation input, Identifier timeColumn,
                               List<Expression> arguments, List<Expression> partitionKeys,
                               Optional<Identifier> alias, NodeLocation location) implements Relation {
        public WindowTableFunction {
            arguments = List.copyOf(arguments);
            partitionKeys = List.copyOf(partitionKeys);
        }
    }
}

package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;

import java.util.Optional;

/**
 * {@code s JOIN t FOR SYSTEM_TIME AS OF s.time AS x ON ...}: Flink's temporal (lookup) join, planned
 * as the join of {@code s} with the table {@code t} itself.
 *
 * <p>With a processing-time attribute ({@code PROCTIME()}, Nexmark q13) Flink looks each stream row
 * up in the table's content at that moment; for a side input that is loaded before the stream (its
 * contract: a bounded, already complete table) that is every table row with the key. Sluice gives
 * the same rows without depending on when the lookup happens: a table with a PRIMARY KEY is a
 * stream-table join (Kafka Streams looks the key up as of the stream row's timestamp); an append-only
 * table (a file, a topic without a key) is a regular join, so a side-input row that arrives after a
 * stream row still meets it. With the stream's event time, Flink needs a versioned table (a PRIMARY
 * KEY), and so does Sluice: the stream-table join is Kafka Streams' event-time lookup.
 */
final class LookupJoins {
    private LookupJoins() {
    }

    /** The join with the table in place of the temporal table, after checking the AS OF time. */
    static Relation.Join asTableJoin(Relation.Join join, Relation.TemporalTable temporal, Scope left,
                                     boolean tableHasKey, FunctionCatalog functions) {
        if (join.type() != Relation.JoinType.INNER && join.type() != Relation.JoinType.LEFT) {
            throw new SqlException(join.location(), "a lookup join (FOR SYSTEM_TIME AS OF) is an INNER or LEFT "
                    + "join, not " + join.type(), "look the table up with JOIN or LEFT JOIN");
        }
        Expr asOf = new ExpressionAnalyzer(left, functions, e -> Optional.empty(), "FOR SYSTEM_TIME AS OF")
                .analyze(temporal.asOf());
        if (!(asOf instanceof Expr.InputRef ref) || !ref.type().isTemporal()) {
            throw new SqlException(temporal.asOf().location(), "FOR SYSTEM_TIME AS OF takes a time column of the "
                    + "stream on the left (its event time, or a PROCTIME() column)");
        }
        boolean eventTime = left.rowtimeColumn().isPresent() && left.rowtimeColumn().getAsInt() == ref.index();
        if (eventTime && !tableHasKey) {
            throw new SqlException(temporal.location(), "an event-time temporal join needs a versioned table: `"
                    + temporal.name() + "` has no PRIMARY KEY", "declare PRIMARY KEY (...) NOT ENFORCED on `"
                    + temporal.name() + "`, or look it up as of a PROCTIME() column (processing time)");
        }
        return new Relation.Join(join.type(), join.left(),
                new Relation.Table(temporal.name(), temporal.alias(), temporal.location()),
                join.condition(), join.within(), join.location());
    }
}

package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ksqlDB's {@code JoinNode}: the two sides of a join on keys must have as many partitions, since a
 * key's records meet only in the same partition. A join's count is its right side's, and it is
 * named by its leftmost source. Sluice knows a source's count when its WITH gives PARTITIONS; a
 * side without it is not checked. Table-table joins (possibly on a foreign key, which ksqlDB does
 * not check) are left out.
 */
final class KsqlJoinPartitions {
    private KsqlJoinPartitions() {
    }

    private record Side(String alias, OptionalInt partitions, boolean table) {
    }

    static void check(Query query, Catalog catalog) {
        if (query.body() instanceof QueryBody.Select select && select.from().orElse(null) instanceof Relation.Join join) {
            side(join, catalog);
        }
    }

    private static Optional<Side> side(Relation relation, Catalog catalog) {
        if (relation instanceof Relation.Table t) {
            Optional<SourceDefinition> source = catalog.lookup(t.name().toString());
            String alias = t.alias().map(a -> a.quoted() ? a.value() : a.value().toUpperCase(Locale.ROOT))
                    .orElse(t.name().simpleName().toUpperCase(Locale.ROOT));
            return source.map(s -> new Side(alias, s.format().topicSettings().partitions(),
                    s.kind() == SourceDefinition.Kind.TABLE));
        }
        if (!(relation instanceof Relation.Join j)) {
            return Optional.empty();
        }
        Optional<Side> left = side(j.left(), catalog);
        Optional<Side> right = side(j.right(), catalog);
        if (left.isEmpty() || right.isEmpty()) {
            return Optional.empty();
        }
        Side l = left.get();
        Side r = right.get();
        if (!(l.table() && r.table()) && l.partitions().isPresent() && r.partitions().isPresent()
                && l.partitions().getAsInt() != r.partitions().getAsInt()) {
            throw new SqlException(j.location(), "Can't join `" + l.alias() + "` with `" + r.alias() + "` since the "
                    + "number of partitions don't match. `" + l.alias() + "` partitions = " + l.partitions().getAsInt()
                    + "; `" + r.alias() + "` partitions = " + r.partitions().getAsInt() + ". Please repartition either "
                    + "one so that the number of partitions match.", "records of one key meet only in the same "
                    + "partition; give both topics the same PARTITIONS, or repartition one (CREATE STREAM … AS SELECT "
                    + "… PARTITION BY …) with WITH (PARTITIONS=n)");
        }
        return Optional.of(new Side(l.alias(), r.partitions(), l.table() && r.table()));
    }
}

package dev.sluice.compiler.analyzer;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Relation;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ksqlDB's rules for a join of two windowed sources (declared with {@code WINDOW_TYPE}), in its words
 * (its {@code Analyzer} and {@code SchemaKStream.selectKey}): both sides windowed or neither, session
 * windows only with session windows, and no re-keying of a windowed source — the join must be on each
 * side's key, and sources whose windows differ cannot share a key format without a repartition unless
 * the key format is a Schema Registry one (which ksqlDB repartitions anyway).
 */
final class KsqlWindowedJoins {
    private static final String REPARTITION = "Implicit repartitioning of windowed sources is not supported. "
            + "See https://github.com/confluentinc/ksql/issues/4385.";
    private static final Set<String> REGISTRY_KEY_FORMATS = Set.of("AVRO", "JSON_SR", "PROTOBUF");

    private KsqlWindowedJoins() {
    }

    /** Checks a join of two plain sources; joins of joins are left to the other checks. */
    static void check(Relation.Join join, Catalog catalog) {
        if (!(join.left() instanceof Relation.Table l) || !(join.right() instanceof Relation.Table r)) {
            return;
        }
        Optional<SourceDefinition> left = catalog.lookup(l.name().toString());
        Optional<SourceDefinition> right = catalog.lookup(r.name().toString());
        if (left.isEmpty() || right.isEmpty()) {
            return;
        }
        Optional<String> leftWindow = windowType(left.get());
        Optional<String> rightWindow = windowType(right.get());
        if (leftWindow.isEmpty() && rightWindow.isEmpty()) {
            return;
        }
        String nl = System.lineSeparator();
        if (leftWindow.isPresent() != rightWindow.isPresent()) {
            throw new SqlException(join.location(), "Can not join windowed source to non-windowed source." + nl
                    + "`" + alias(l) + "` is " + leftWindow.orElse("not") + " windowed" + nl
                    + "`" + alias(r) + "` is " + rightWindow.orElse("not") + " windowed",
                    "join two windowed sources, or two sources without windows");
        }
        boolean compatible = leftWindow.get().equals("SESSION") == rightWindow.get().equals("SESSION");
        if (!compatible) {
            throw new SqlException(join.location(), "Incompatible windowed sources." + nl
                    + "Left source: " + leftWindow.get() + nl
                    + "Right source: " + rightWindow.get() + nl
                    + "Session windowed sources can only be joined to other session windowed sources, and may still"
                    + " not result in expected behaviour as session bounds must be an exact match for the join to work"
                    + nl + "Hopping and tumbling windowed sources can only be joined to other hopping and tumbling"
                    + " windowed sources", "join session windows with session windows, time windows with time windows");
        }
        boolean onKeys = join.condition().orElse(null) instanceof Expression.Binary b
                && b.operator() == Expression.BinaryOperator.EQ
                && (onKey(b.left(), l, left.get()) && onKey(b.right(), r, right.get())
                    || onKey(b.left(), r, right.get()) && onKey(b.right(), l, left.get()));
        boolean sameWindows = window(left.get()).equals(window(right.get()));
        if (!onKeys || (!sameWindows && !REGISTRY_KEY_FORMATS.contains(keyFormat(left.get())))) {
            throw new SqlException(join.condition().map(Expression::location).orElse(join.location()), REPARTITION,
                    "a windowed source is joined on its key, with the same windows on both sides");
        }
    }

    private static Optional<String> windowType(SourceDefinition source) {
        return Optional.ofNullable(source.format().properties().get("window_type"))
                .map(t -> t.toUpperCase(Locale.ROOT));
    }

    /** The window as declared (type and size), to compare two sources' windows. */
    private static String window(SourceDefinition source) {
        Map<String, String> p = source.format().properties();
        return windowType(source).orElse("") + " "
                + p.getOrDefault("window_size", "").trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT)
                .replaceAll("S$", "");
    }

    private static String keyFormat(SourceDefinition source) {
        Map<String, String> p = source.format().properties();
        return p.getOrDefault("key_format", p.getOrDefault("format", "KAFKA")).toUpperCase(Locale.ROOT);
    }

    private static String alias(Relation.Table t) {
        return t.alias().map(a -> a.value()).orElse(t.name().simpleName()).toUpperCase(Locale.ROOT);
    }

    /** Whether {@code e} is {@code source}'s one key column, read through {@code t}'s name or alias. */
    private static boolean onKey(Expression e, Relation.Table t, SourceDefinition source) {
        if (!(e instanceof Expression.ColumnRef ref) || source.recordKeyColumns().size() != 1) {
            return false;
        }
        if (ref.parts().size() > 1 && !ref.parts().get(ref.parts().size() - 2).value().equalsIgnoreCase(alias(t))) {
            return false;
        }
        return ref.last().equalsIgnoreCase(source.recordKeyColumns().get(0));
    }
}

package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ksqlDB's key of a join (its JoinTree and JoinNode): which columns of the joined row may stand for
 * the key a ksqlDB-dialect sink writes, and what the record key is.
 *
 * <p>{@code equivalent}: the expressions known equal to the key (both sides of the ON equality, and
 * those of an inner join below when it shares one of them); a FULL join knows none, since either
 * side may be missing. {@code viable}: the columns among them, in ksqlDB's order (the left input's
 * viable columns, the left ON column, the right input's, the right ON column). {@code recordKey}:
 * the record key's value over the joined row (the left ON expression; the right one for a RIGHT
 * join; either for a FULL join). With no viable column the key is synthetic, a column
 * {@code ROWKEY} (numbered past the sources' own {@code ROWKEY_n} columns) added to the joined row.
 */
public record KsqlJoinKey(Set<Expr> equivalent, List<Expr> viable, List<String> viableNames,
                          List<String> viableKeyNames, Expr recordKey, Optional<String> synthetic,
                          Optional<String> foreignTable) {

    public KsqlJoinKey {
        equivalent = Set.copyOf(equivalent);
        viable = List.copyOf(viable);
        viableNames = List.copyOf(viableNames);
        viableKeyNames = List.copyOf(viableKeyNames);
    }

    /** A source (not a join) has no join key. */
    static final KsqlJoinKey NONE = new KsqlJoinKey(Set.of(), List.of(), List.of(), List.of(),
            new Expr.Literal(null, ScalarType.VARCHAR), Optional.empty(), Optional.empty());

    /**
     * A foreign-key table-table join: its rows are keyed by the left table's PRIMARY KEY columns
     * ({@code leftKey}, over the joined row), every one of which a sink's SELECT must name.
     */
    static KsqlJoinKey foreign(List<Expr> leftKey, Scope joined) {
        List<String> names = new ArrayList<>();
        List<String> keyNames = new ArrayList<>();
        String table = "";
        for (Expr k : leftKey) {
            ScopeColumn c = joined.columns().get(((Expr.InputRef) k).index());
            table = c.relation().orElse("").toUpperCase(Locale.ROOT);
            names.add(c.name());
            keyNames.add(table + "_" + c.name());
        }
        return new KsqlJoinKey(Set.of(), leftKey, names, keyNames, leftKey.get(0), Optional.empty(), Optional.of(table));
    }

    /**
     * The key of {@code left JOIN right ON l = r}: {@code l} over the left row, {@code r} over the
     * joined row; {@code leftKey}/{@code rightKey} the inputs' own join keys ({@link #NONE} for
     * sources), the right one over the right row.
     */
    static KsqlJoinKey of(KsqlJoinKey leftKey, KsqlJoinKey rightKey, int leftWidth, Expr l, Expr r,
                          dev.sluice.runtime.plan.JoinType type, boolean rightJoin, Scope joined) {
        Expr lc = l;
        Expr rc = r;
        l = uncast(l);
        r = uncast(r);
        Set<Expr> keys = new LinkedHashSet<>(List.of(l, r));
        Set<Expr> equivalent = new LinkedHashSet<>();
        List<Expr> rightViable = rightKey.viable.stream().map(e -> JoinCondition.shift(e, leftWidth)).toList();
        if (type != dev.sluice.runtime.plan.JoinType.FULL) {
            equivalent.addAll(keys);
            if (leftKey.equivalent.stream().anyMatch(keys::contains)) {
                equivalent.addAll(leftKey.equivalent);
            }
            Set<Expr> rights = new LinkedHashSet<>();
            rightKey.equivalent.forEach(e -> rights.add(JoinCondition.shift(e, leftWidth)));
            if (rights.stream().anyMatch(keys::contains)) {
                equivalent.addAll(rights);
            }
        }
        List<Expr> candidates = new ArrayList<>(leftKey.viable);
        candidates.add(l);
        candidates.addAll(rightViable);
        candidates.add(r);
        List<Expr> viable = candidates.stream().filter(e -> e instanceof Expr.InputRef).distinct()
                .filter(equivalent::contains).toList();
        List<String> names = new ArrayList<>();
        List<String> keyNames = new ArrayList<>();
        for (Expr v : viable) {
            ScopeColumn c = joined.columns().get(((Expr.InputRef) v).index());
            String relation = c.relation().orElse("").toUpperCase(Locale.ROOT);
            names.add(relation + "." + c.name());
            keyNames.add(relation + "_" + c.name());
        }
        Expr record = type == dev.sluice.runtime.plan.JoinType.FULL
                ? new Expr.Call("COALESCE", List.of(lc, rc), lc.type()) : rightJoin ? rc : lc;
        Optional<String> synthetic = viable.isEmpty() ? Optional.of(syntheticName(joined)) : Optional.empty();
        return new KsqlJoinKey(equivalent, viable, names, keyNames, record, synthetic, Optional.empty());
    }

    /** A key coerced to the other side's type is still that column for ksqlDB. */
    static Expr uncast(Expr e) {
        return e instanceof Expr.Call c && c.function().equalsIgnoreCase("CAST") && c.arguments().size() == 1
                && c.arguments().get(0) instanceof Expr.InputRef ref ? ref : e;
    }

    private static final Pattern NUMBERED = Pattern.compile("ROWKEY(?:_(\\d+))?");

    /** {@code ROWKEY}, or {@code ROWKEY_n} with the first n that no source column uses (ksqlDB's rule). */
    static String syntheticName(Scope joined) {
        Set<Integer> used = new java.util.HashSet<>();
        for (ScopeColumn c : joined.columns()) {
            Matcher m = NUMBERED.matcher(c.name().toUpperCase(Locale.ROOT));
            if (!c.hidden() && m.matches()) {
                used.add(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
            }
        }
        int i = 0;
        while (used.contains(i)) {
            i++;
        }
        return i == 0 ? "ROWKEY" : "ROWKEY_" + i;
    }

    /** The same key over a row with {@code by} more columns in front (the synthetic key column). */
    KsqlJoinKey shifted(int by) {
        return new KsqlJoinKey(equivalent.stream().map(e -> JoinCondition.shift(e, by))
                .collect(java.util.stream.Collectors.toSet()), viable.stream().map(e -> JoinCondition.shift(e, by)).toList(),
                viableNames, viableKeyNames, JoinCondition.shift(recordKey, by), synthetic, foreignTable);
    }

    /**
     * What a ksqlDB-dialect sink over {@code SELECT …} of the joined rows writes to the record key:
     * the first projected column that is a viable key column (or the synthetic column, at position 0),
     * as ksqlDB's LogicalPlanner picks it. {@code projected} is empty when the projection has none,
     * {@code duplicates} lists the output names when it selects the key column more than once.
     */
    public record Choice(java.util.OptionalInt projected, String keyName, List<String> viableNames,
                         boolean synthetic, List<String> duplicates, Optional<Foreign> foreign) {
        Choice(java.util.OptionalInt projected, String keyName, List<String> viableNames, boolean synthetic,
               List<String> duplicates) {
            this(projected, keyName, viableNames, synthetic, duplicates, Optional.empty());
        }
    }

    /**
     * A foreign-key join's sink key: the projected position of each of the left table's key columns,
     * the names of those the SELECT lacks, and the output names of a key column selected twice.
     */
    public record Foreign(String table, List<Integer> projected, List<String> missing, String duplicateKey,
                          List<String> duplicates) {
    }

    Choice choose(List<Expr> projection, List<String> outputNames) {
        if (foreignTable.isPresent()) {
            List<Integer> at = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            String duplicateKey = "";
            List<String> duplicates = List.of();
            for (int k = 0; k < viable.size(); k++) {
                List<Integer> found = new ArrayList<>();
                for (int i = 0; i < projection.size(); i++) {
                    if (projection.get(i).equals(viable.get(k))) {
                        found.add(i);
                    }
                }
                if (found.isEmpty()) {
                    missing.add(viableNames.get(k));
                } else {
                    at.add(found.get(0));
                    if (found.size() > 1 && duplicates.isEmpty()) {
                        duplicateKey = viableKeyNames.get(k);
                        duplicates = found.stream().map(outputNames::get).sorted().toList();
                    }
                }
            }
            return new Choice(java.util.OptionalInt.empty(), "", List.of(), false, List.of(),
                    Optional.of(new Foreign(foreignTable.get(), at, missing, duplicateKey, duplicates)));
        }
        Optional<Expr> key;
        String keyName;
        if (synthetic.isPresent()) {
            key = Optional.of(new Expr.InputRef(0, recordKey.type()));
            keyName = synthetic.get();
        } else {
            key = viable.stream().filter(projection::contains).findFirst();
            keyName = key.map(k -> viableKeyNames.get(viable.indexOf(k))).orElse("");
        }
        List<String> names = synthetic.isPresent() ? List.of(synthetic.get()) : viableNames;
        if (key.isEmpty() || !projection.contains(key.get())) {
            return new Choice(java.util.OptionalInt.empty(), keyName, names, synthetic.isPresent(), List.of());
        }
        List<String> duplicates = new ArrayList<>();
        int first = -1;
        for (int i = 0; i < projection.size(); i++) {
            if (projection.get(i).equals(key.get())) {
                first = first < 0 ? i : first;
                duplicates.add(outputNames.get(i));
            }
        }
        return new Choice(java.util.OptionalInt.of(first), keyName, names, synthetic.isPresent(),
                duplicates.size() > 1 ? duplicates.stream().sorted().toList() : List.of());
    }
}

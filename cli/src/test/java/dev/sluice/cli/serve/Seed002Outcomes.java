package dev.sluice.cli.serve;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each SELECT of seed 002 (by the document line it starts on) is expected to give in Sluice
 * compared with PostgreSQL: {@link #EQUAL}, or a fragment of the outcome with the reason it
 * cannot (yet) be equal.
 */
final class Seed002Outcomes {
    static final String EQUAL = "equal";
    static final String EQUAL_BUT_NOW = "equal, and its NOW() columns within minutes";
    static final String UNNAMED = " (an unaliased aggregate is named EXPR$n, as in Flink; PostgreSQL names it after its function)";

    /**
     * SELECTs with a column computed from NOW() (AGE(NOW(), created_at)): PostgreSQL and Sluice read
     * the clock at different moments, so that column cannot be equal. Rows are matched by position
     * (these SELECTs are ordered), the column compared to within 10 minutes, everything else exactly.
     */
    private static final Map<Integer, List<String>> READS_NOW = Map.of(
            1165, List.of("age"), 1182, List.of("wait_time"), 1289, List.of("running_time"));

    private static final Map<Integer, String> NOT_EQUAL = new LinkedHashMap<>();

    static {
        // only the database can answer these: the error says to run them there
        NOT_EQUAL.put(354, "sluice error: `pg_constraint` is a view of the database's own catalog or statistics: "
                + "run this query in the database (psql)");
        NOT_EQUAL.put(362, "sluice error: pg_size_pretty asks PostgreSQL about itself");
        NOT_EQUAL.put(1856, "sluice error: pg_size_pretty asks PostgreSQL about itself");
        // the seed's own mistake (pg_stat_user_indexes has relname and indexrelname); Sluice says where to run it
        NOT_EQUAL.put(1862, "postgres error: ERROR: column \"tablename\" does not exist; sluice: "
                + "`pg_stat_user_indexes` is a view of the database's own catalog");
        // 1631 (an uncorrelated sub-query in WHERE) and 1694 (UNION ALL of two aggregates) are equal:
        // a pull query asks the sub-query first, and each branch of the union on its own; 1654 (a
        // correlated COUNT) is decorrelated into a join with a grouped count; 1736 (SUM OVER (ORDER BY
        // created_at)) is a running aggregate over the table
        // 1492 and 1888: COUNT(*) of no rows is one row (0) in a pull query, as in PostgreSQL; 1944 sorts
        // by AVG(gpu_hours), a column it returns unaliased
        for (int line : List.of(1492, 1859, 1888, 1944, 1959)) {
            NOT_EQUAL.put(line, EQUAL + UNNAMED);
        }
    }

    /**
     * SELECTs numbering rows with ROW_NUMBER() over an order with ties (1745: several runs share an
     * accuracy, or have none): SQL leaves the numbering of tied rows to the engine, and PostgreSQL
     * numbers them in its scan order, Sluice in arrival order. Both answers are right when the rows
     * are the same and each group of tied rows holds the same numbers, so the number column is
     * compared as the first number of its row's tie group. Output column, then the tie columns.
     */
    private static final Map<Integer, List<String>> NUMBERS_TIES = Map.of(1745, List.of("rank", "accuracy"));

    private Seed002Outcomes() {
    }

    /** {@code rows} with each ROW_NUMBER value replaced by the smallest of its tie group (unchanged when none). */
    static List<String> tiesNumberedAlike(int line, List<String> rows, List<String> columns) {
        List<String> spec = NUMBERS_TIES.get(line);
        if (spec == null) {
            return rows;
        }
        int number = columns.indexOf(spec.get(0));
        List<Integer> ties = spec.subList(1, spec.size()).stream().map(columns::indexOf).toList();
        Map<String, Long> first = new java.util.HashMap<>();
        for (String row : rows) {
            String[] v = row.split(" \\| ", -1);
            first.merge(project(List.of(row), ties).get(0), new java.math.BigDecimal(v[number]).longValue(), Math::min);
        }
        List<String> out = new java.util.ArrayList<>();
        for (String row : rows) {
            String[] v = row.split(" \\| ", -1);
            v[number] = String.valueOf(first.get(project(List.of(row), ties).get(0)));
            out.add(String.join(" | ", v));
        }
        return out;
    }

    static List<String> readsNow(int line) {
        return READS_NOW.getOrDefault(line, List.of());
    }

    static Map<Integer, String> expected(Collection<Integer> lines) {
        Map<Integer, String> out = new LinkedHashMap<>();
        lines.forEach(l -> out.put(l, NOT_EQUAL.getOrDefault(l, READS_NOW.containsKey(l) ? EQUAL_BUT_NOW : EQUAL)));
        return out;
    }

    /** Each outcome as its expected value when it matches (equal, or contains the expected fragment). */
    static Map<Integer, String> matched(Map<Integer, String> outcomes) {
        Map<Integer, String> out = new LinkedHashMap<>();
        outcomes.forEach((line, outcome) -> {
            String expected = NOT_EQUAL.getOrDefault(line, READS_NOW.containsKey(line) ? EQUAL_BUT_NOW : EQUAL);
            boolean fragment = !expected.equals(EQUAL) && !expected.equals(EQUAL_BUT_NOW);
            out.put(line, outcome.equals(expected) || fragment && outcome.contains(expected) ? expected : outcome);
        });
        return out;
    }

    /**
     * Rows equal, an INTERVAL allowed to differ by 1 ms: PostgreSQL subtracts microsecond timestamps,
     * Sluice timestamps truncated to the millisecond.
     */
    static boolean sameRows(List<String> a, List<String> e) {
        if (a.size() != e.size()) {
            return false;
        }
        for (int r = 0; r < a.size(); r++) {
            String[] x = a.get(r).split(" \\| ", -1);
            String[] y = e.get(r).split(" \\| ", -1);
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (x[i].equals(y[i])) {
                    continue;
                }
                if (!x[i].startsWith("interval ") || !y[i].startsWith("interval ")
                        || Math.abs(java.time.Duration.parse(x[i].substring(9)).toMillis()
                        - java.time.Duration.parse(y[i].substring(9)).toMillis()) > 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The output columns the top-level ORDER BY names (empty when an item is not an output column):
     * rows tied on them may come in any order, so an order is right when these columns' sequence is.
     */
    static List<Integer> orderKeys(String sql, List<String> columns) {
        String upper = sql.toUpperCase(java.util.Locale.ROOT);
        int at = upper.lastIndexOf("ORDER BY");
        if (at < 0 || upper.indexOf(')', at) >= 0) {
            return List.of();
        }
        String items = sql.substring(at + "ORDER BY".length()).replaceAll("(?is)\\bLIMIT\\b.*$", "");
        List<Integer> keys = new java.util.ArrayList<>();
        for (String item : items.split(",")) {
            String name = item.strip().replaceAll("(?i)\\s+(ASC|DESC)?\\s*(NULLS\\s+(FIRST|LAST))?$", "").strip()
                    .toLowerCase(java.util.Locale.ROOT);
            int i = columns.indexOf(name);
            if (i < 0) {
                return List.of();
            }
            keys.add(i);
        }
        return keys;
    }

    static List<String> project(List<String> rows, List<Integer> keys) {
        List<String> out = new java.util.ArrayList<>();
        for (String row : rows) {
            String[] values = row.split(" \\| ", -1);
            out.add(String.join(" | ", keys.stream().map(k -> values[k]).toList()));
        }
        return out;
    }

    /** Whether the SELECT's rows come in a defined order: an ORDER BY outside every parenthesis. */
    static boolean ordered(String sql) {
        String flat = sql;
        String before;
        do {
            before = flat;
            flat = flat.replaceAll("\\([^()]*\\)", " ");
        } while (!flat.equals(before));
        return flat.toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ").contains("ORDER BY");
    }
}

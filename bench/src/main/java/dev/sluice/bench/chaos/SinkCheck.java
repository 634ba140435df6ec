package dev.sluice.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sink's comparison: the rows read from the broker against replay's, as multisets of whole rows
 * (a stream's appended rows, or a table's final row per key). Rows missing are lost; rows beyond
 * replay's count are duplicates when replay has the row, wrong otherwise.
 */
public record SinkCheck(String sink, boolean table, long expectedRows, long actualRows, List<String> missing,
                        List<String> duplicated, List<String> unexpected) {

    static SinkCheck compare(String sink, boolean table, List<String> expected, List<String> actual) {
        Map<String, Integer> want = counts(expected);
        Map<String, Integer> got = counts(actual);
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        want.forEach((row, n) -> {
            int have = got.getOrDefault(row, 0);
            for (int i = have; i < n; i++) {
                missing.add(row);
            }
            for (int i = n; i < have; i++) {
                duplicated.add(row);
            }
        });
        got.forEach((row, n) -> {
            if (!want.containsKey(row)) {
                for (int i = 0; i < n; i++) {
                    unexpected.add(row);
                }
            }
        });
        return new SinkCheck(sink, table, expected.size(), actual.size(), missing, duplicated, unexpected);
    }

    private static Map<String, Integer> counts(List<String> rows) {
        Map<String, Integer> out = new TreeMap<>();
        rows.forEach(r -> out.merge(r, 1, Integer::sum));
        return out;
    }

    public boolean equal() {
        return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    }

    String describe() {
        String kind = table ? "final rows (one per key)" : "rows";
        if (equal()) {
            return sink + ": " + actualRows + " " + kind + ", equal to replay";
        }
        return sink + ": " + actualRows + " " + kind + " against replay's " + expectedRows + ": " + missing.size()
                + " missing, " + duplicated.size() + " twice, " + unexpected.size() + " not in replay"
                + sample("missing", missing) + sample("twice", duplicated) + sample("not in replay", unexpected);
    }

    private static String sample(String what, List<String> rows) {
        return rows.isEmpty() ? "" : "\n    " + what + ", e.g. " + String.join("\n      ", rows.subList(0, Math.min(5, rows.size())));
    }
}

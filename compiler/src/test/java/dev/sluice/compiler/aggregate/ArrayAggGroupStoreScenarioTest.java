package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARRAY_AGG / COLLECT_LIST [FILTER] of a GROUP BY without window over a stream keep their elements
 * in {@code <step>-elements-store} (one entry per group, one per element; the state holds counts).
 * Random input (NULL elements, a FILTER that keeps some, several groups, a global aggregate) is
 * checked after every record against each group's list in arrival order kept here, with the record
 * cache off (every record emits its group's row: the ordered changelog is one update per record)
 * and on (rows only at flushes; the latest row of each group is still right).
 */
class ArrayAggGroupStoreScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String STORE = "c-aggregate-elements-store";

    /** A group's expected row: every v in arrival order, the v below 3, the count; NULL for no element. */
    private static String expected(List<Long> values) {
        List<Long> small = values.stream().filter(v -> v != null && v < 3).toList();
        return "{\"vs\":" + list(values) + ",\"small\":" + (small.isEmpty() ? "null" : list(small))
                + ",\"n\":" + values.size() + "}";
    }

    private static String list(List<Long> values) {
        return values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static String actual(JsonNode row) {
        return "{\"vs\":" + row.get("vs") + ",\"small\":" + row.get("small") + ",\"n\":" + row.get("n") + "}";
    }

    @Test
    void groupsListTheirElementsInArrivalOrderAfterEveryRecordWithTheCacheOff() {
        groupBy(Map.of(), true);
    }

    @Test
    void groupsListTheirElementsInArrivalOrderWithTheCacheOn() {
        groupBy(Map.of("statestore.cache.max.bytes", "10485760"), false);
    }

    private static void groupBy(Map<String, String> settings, boolean everyRecordEmits) {
        String sql = S + "CREATE STREAM c AS SELECT k, ARRAY_AGG(v) AS vs, "
                + "COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, COUNT(*) AS n FROM s GROUP BY k";
        Random random = new Random(17);
        Map<String, List<Long>> model = new TreeMap<>();
        Map<String, JsonNode> rows = new HashMap<>();
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            assertTrue(d.stores().contains(STORE), d.stores().toString());
            for (int i = 0; i < 300; i++) {
                String k = "k" + random.nextInt(4);
                Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(6);
                d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + "}", 1_000L * (i + 1));
                model.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                List<String> out = d.read();
                List<String> ops = new ArrayList<>();
                for (String record : out) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    ops.add(row.get("op").asText() + " " + row.get("k").asText());
                    if (!row.get("op").asText().startsWith("-")) {
                        rows.put(row.get("k").asText(), row);
                    }
                }
                if (everyRecordEmits) {
                    // one update of the record's group: its first row, or the old row out and the new in
                    assertEquals(model.get(k).size() == 1 ? List.of("+I " + k) : List.of("-U " + k, "+U " + k), ops,
                            "step " + i);
                }
                for (Map.Entry<String, List<Long>> group : model.entrySet()) {
                    assertEquals(expected(group.getValue()), actual(rows.get(group.getKey())),
                            "step " + i + ", " + group.getKey());
                }
            }
            // one entry per group and one per element of each stored call: nothing else is kept
            long elements = model.values().stream().mapToLong(l -> l.size()
                    + l.stream().filter(v -> v != null && v < 3).count()).sum();
            assertEquals(model.size() + elements, d.entries(STORE));
        }
    }

    @Test
    void aGlobalAggregateListsEveryRecord() {
        String sql = S + "CREATE STREAM c AS SELECT ARRAY_AGG(v) AS vs, COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, "
                + "COUNT(*) AS n FROM s";
        List<Long> model = new ArrayList<>();
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            JsonNode last = null;
            for (long v : new long[] {4, 1, 1, 9, 2}) {
                d.pipe("s", "{\"k\":\"x\",\"v\":" + v + "}", 1_000L * (model.size() + 1));
                model.add(v);
                for (String record : d.read()) {
                    last = ChangelogDriver.valueOf(record);
                }
            }
            assertEquals(expected(model), actual(last));
        }
    }
}

package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table GROUP BY's ARRAY_AGG / COLLECT_LIST [FILTER] elements and FIRST/LAST candidates in
 * {@code <step>-elements-store} ({@code TableElements}): random updates, deletes, rows moving
 * between groups, duplicate values, NULLs and equal event times, checked after every record
 * against the accumulators' definitions kept here (a retraction takes the first arrival of an
 * equal element out, as Flink's ARRAY_AGG does: the script is Flink's; a candidate's latest; FIRST is the earliest event time, first arrival on ties; LAST the latest,
 * last arrival on ties), with the record cache off and on. Once every row is deleted the store is
 * empty.
 */
class TableElementsScenarioTest {
    private static final String STORE = "c-aggregate-elements-store";

    /** One live input row's contribution: its element and its event time. */
    private record Element(Long v, long ts) {
    }

    @Test
    void arraysAndFirstLastFollowUpdatesAndDeletesWithTheCacheOff() {
        run(Map.of());
    }

    @Test
    void arraysAndFirstLastFollowUpdatesAndDeletesWithTheCacheOn() {
        run(Map.of("statestore.cache.max.bytes", "10485760"));
    }

    /**
     * Takes the latest arrival equal to {@code e} out, or the first ({@code first}: a Flink-dialect
     * ARRAY_AGG, this script's dialect).
     */
    private static <T> void remove(List<T> list, T e, boolean first) {
        for (int j = 0; j < list.size(); j++) {
            int i = first ? j : list.size() - 1 - j;
            if (Objects.equals(list.get(i), e)) {
                list.remove(i);
                return;
            }
        }
        throw new AssertionError("no " + e + " in " + list);
    }

    /**
     * A group's expected row from its ARRAY_AGG elements and its FIRST/LAST candidates (non-NULL
     * elements with their event times), each in arrival order; the small list is kept apart as a
     * FILTERed call takes only its own rows out.
     */
    private static String expected(List<Long> all, List<Long> small, List<Element> candidates) {
        Element first = null;
        Element last = null;
        for (Element e : candidates) {
            if (first == null || e.ts() < first.ts()) {
                first = e;
            }
            if (last == null || e.ts() >= last.ts()) {
                last = e;
            }
        }
        return "vs=" + (all.isEmpty() ? null : all) + " small=" + (small.isEmpty() ? null : small)
                + " first=" + (first == null ? null : first.v()) + " last=" + (last == null ? null : last.v())
                + " n=" + all.size();
    }

    private static String actual(JsonNode row) {
        return "vs=" + list(row.get("vs")) + " small=" + list(row.get("small"))
                + " first=" + (row.get("f").isNull() ? null : row.get("f").asLong())
                + " last=" + (row.get("l").isNull() ? null : row.get("l").asLong()) + " n=" + row.get("n").asLong();
    }

    private static List<Long> list(JsonNode array) {
        if (array.isNull()) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        array.forEach(e -> out.add(e.isNull() ? null : e.asLong()));
        return out;
    }

    private static void run(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, "
                + "ts TIMESTAMP ROWTIME) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, ARRAY_AGG(v) AS vs, COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, "
                + "FIRST(v) AS f, LAST(v) AS l, COUNT(*) AS n FROM users GROUP BY region";
        Random random = new Random(23);
        Map<String, Element> live = new HashMap<>();
        Map<String, String> regionOf = new HashMap<>();
        Map<String, List<Long>> elements = new TreeMap<>();
        Map<String, List<Long>> smalls = new TreeMap<>();
        Map<String, List<Element>> candidates = new TreeMap<>();
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            assertTrue(d.stores().contains(STORE), d.stores().toString());
            for (int i = 0; i < 400; i++) {
                String user = "u" + random.nextInt(10);
                if (live.containsKey(user)) {
                    Element gone = live.remove(user);
                    String region = regionOf.get(user);
                    remove(elements.get(region), gone.v(), true);
                    if (gone.v() != null && gone.v() < 3) {
                        remove(smalls.get(region), gone.v(), true);
                    }
                    if (gone.v() != null) {
                        remove(candidates.get(region), gone, false);
                    }
                }
                if (random.nextInt(6) == 0) {
                    d.pipe("users", user, null, 1_000L * i);
                    regionOf.remove(user);
                } else {
                    String region = random.nextBoolean() ? "eu" : "us";
                    Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(5);
                    // coarse event times, some before earlier ones: ties and disorder
                    long ts = 10_000L * random.nextInt(6);
                    d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\",\"v\":" + v
                            + ",\"ts\":" + ts + "}", ts);
                    Element e = new Element(v, ts);
                    live.put(user, e);
                    regionOf.put(user, region);
                    elements.computeIfAbsent(region, r -> new ArrayList<>()).add(v);
                    smalls.computeIfAbsent(region, r -> new ArrayList<>());
                    candidates.computeIfAbsent(region, r -> new ArrayList<>());
                    if (v != null && v < 3) {
                        smalls.get(region).add(v);
                    }
                    if (v != null) {
                        candidates.get(region).add(e);
                    }
                }
                for (String record : d.read()) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    switch (row.get("op").asText()) {
                        case "+I", "+U" -> rows.put(row.get("region").asText(), row);
                        case "-D" -> rows.remove(row.get("region").asText());
                        default -> { }
                    }
                }
                for (String region : List.of("eu", "us")) {
                    List<Long> in = elements.getOrDefault(region, List.of());
                    if (in.isEmpty()) {
                        assertFalse(rows.containsKey(region), "step " + i + ": " + region + " should have no row");
                    } else {
                        assertEquals(expected(in, smalls.get(region), candidates.get(region)),
                                actual(rows.get(region)), "step " + i + ", " + region);
                    }
                }
            }
            for (String user : new ArrayList<>(live.keySet())) {
                d.pipe("users", user, null, 1_000_000);
            }
            d.read();
            assertEquals(0, d.entries(STORE), "every group emptied: no element, candidate or counter is left");
        }
    }
}

package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.ChangelogDriver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table scenario the store tests share: a table {@code users (user_id VARCHAR PRIMARY KEY,
 * region VARCHAR, …)} whose users are written, moved between regions and deleted at random, under
 * an aggregate {@code … FROM users GROUP BY region} that emits a changelog ({@code op} +I, -U, +U,
 * -D). The model is the set of live users; each region's expected row is computed from its users'
 * rows, and its actual row is the last one the changelog left.
 *
 * @param <R> the model's row for one user's columns
 */
final class UsersByRegion<R> {
    /** Appends one user's columns (after {@code user_id} and {@code region}) to the JSON and returns the model's row. */
    interface Columns<R> {
        R write(Random random, StringBuilder json);
    }

    private final ChangelogDriver driver;
    private final Random random;
    private final int users;
    private final Function<Random, String> regions;
    private final Map<String, R> live = new HashMap<>();
    private final Map<String, String> regionOf = new HashMap<>();
    private final Map<String, JsonNode> rows = new TreeMap<>();
    /** The regions the last step changed, in the order their rows must come: the one a user left, then its own. */
    private final List<String> changed = new ArrayList<>();

    /**
     * @param users   how many user ids ({@code u0} …) the steps choose among
     * @param regions chooses the region of a written user
     */
    UsersByRegion(ChangelogDriver driver, Random random, int users, Function<Random, String> regions) {
        this.driver = driver;
        this.random = random;
        this.users = users;
        this.regions = regions;
    }

    /** One change at time {@code t}: a random user is deleted (one in six) or written with new columns and region. */
    void step(long t, Columns<R> columns) {
        String user = "u" + random.nextInt(users);
        String before = regionOf.get(user);
        if (random.nextInt(6) == 0) {
            driver.pipe("users", user, null, t);
            live.remove(user);
            regionOf.remove(user);
        } else {
            String region = regions.apply(random);
            StringBuilder json = new StringBuilder("{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\"");
            R row = columns.write(random, json);
            driver.pipe("users", user, json.append("}").toString(), t);
            live.put(user, row);
            regionOf.put(user, region);
        }
        changed.clear();
        if (before != null && !before.equals(regionOf.get(user))) {
            changed.add(before);
        }
        if (regionOf.containsKey(user)) {
            changed.add(regionOf.get(user));
        }
    }

    /** Applies the changelog records emitted since the last read to each region's row. */
    void read() {
        for (String record : driver.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            switch (row.get("op").asText()) {
                case "+I", "+U" -> rows.put(row.get("region").asText(), row);
                case "-D" -> rows.remove(row.get("region").asText());
                default -> { }
            }
        }
    }

    /**
     * Reads the last step's changelog and checks it in order, not only the rows it leaves: each -U
     * repeats its region's last row; then one row per changed region, the region the user left
     * first, where a region whose row did not change may emit nothing (as Flink); a region left
     * without users is -D, any other's row passes {@code assertRow} with its users' rows.
     */
    void checkInOrder(String step, BiConsumer<List<R>, JsonNode> assertRow) {
        List<JsonNode> emitted = new ArrayList<>();
        for (String record : driver.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            if (row.get("op").asText().equals("-U")) {
                JsonNode last = rows.get(row.get("region").asText());
                assertNotNull(last, step + ": -U of a region without a row " + row);
                ((ObjectNode) row).put("op", last.get("op").asText());
                assertEquals(last, row, step + ": -U");
            } else {
                emitted.add(row);
            }
        }
        assertTrue(emitted.size() <= changed.size(), step + ": " + emitted);
        int next = 0;
        for (String region : changed) {
            boolean emits = next < emitted.size() && emitted.get(next).get("region").asText().equals(region);
            JsonNode row = emits ? emitted.get(next++) : rows.get(region);
            assertNotNull(row, step + ": no row for " + region);
            rows.put(region, row);
            List<R> group = group(region);
            if (group.isEmpty()) {
                assertEquals("-D", row.get("op").asText(), step + ": " + region + " emptied");
            } else {
                assertRow.accept(group, row);
            }
        }
        assertEquals(emitted.size(), next, step + ": rows out of order " + emitted);
    }

    /** Every live user's row by region, for a model of what a step's stores hold. */
    Map<String, List<R>> groups() {
        Map<String, List<R>> byRegion = new TreeMap<>();
        for (String region : new java.util.TreeSet<>(regionOf.values())) {
            byRegion.put(region, group(region));
        }
        return byRegion;
    }

    /** The rows of the region's live users. */
    List<R> group(String region) {
        return live.entrySet().stream().filter(e -> region.equals(regionOf.get(e.getKey()))).map(Map.Entry::getValue).toList();
    }

    /**
     * Reads the changelog, then checks that each region without users has no row and every other
     * region's row, as {@code actual} reads it, equals {@code expected} of its users' rows.
     */
    void check(String step, List<String> regionNames, Function<List<R>, Object> expected, Function<JsonNode, Object> actual) {
        read();
        for (String region : regionNames) {
            List<R> group = group(region);
            if (group.isEmpty()) {
                assertFalse(rows.containsKey(region), step + ": " + region + " should have no row");
            } else {
                assertEquals(expected.apply(group), actual.apply(rows.get(region)), step + ", " + region);
            }
        }
    }

    /** Deletes every live user, so that every group empties, and reads the changelog. */
    void deleteAll(long t) {
        for (String user : new ArrayList<>(live.keySet())) {
            driver.pipe("users", user, null, t);
        }
        live.clear();
        regionOf.clear();
        read();
    }
}

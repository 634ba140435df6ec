package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nexmark q4's shape against an in-memory model: bids joined with their auction, grouped by
 * (auction, category), which re-keys in the task (the join's rows are partitioned by the auction),
 * then grouped by category, which reads each first-level row's previous value from the first
 * GROUP BY's result table rather than a store of its own. After every input record the sink's
 * ordered changelog, applied to a map, must equal the model: a missing or wrong retraction fails.
 * With the record cache on and off (on, the driver commits and flushes after each record).
 */
class GroupByOfGroupByScenarioTest {
    private static final String SQL = "CREATE TABLE auctions (id VARCHAR PRIMARY KEY, category BIGINT) "
            + "WITH ('topic' = 'auctions', 'format' = 'json');\n"
            + "CREATE STREAM bids (auction VARCHAR, price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');\n"
            + "CREATE STREAM per_category AS SELECT category, SUM(best) AS total, COUNT(*) AS auctions, "
            + "MAX(best) AS top FROM (SELECT b.auction, a.category, MAX(b.price) AS best FROM bids b "
            + "JOIN auctions a ON b.auction = a.id GROUP BY b.auction, a.category) x GROUP BY category";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyChangeOfTheSecondGroupByMatchesTheModel(boolean cache) throws Exception {
        Map<String, String> settings = cache ? Map.of("statestore.cache.max.bytes", "10485760") : Map.of();
        try (ChangelogDriver d = new ChangelogDriver(SQL, settings)) {
            String topology = d.script().topology().describe().toString();
            assertFalse(topology.contains("x-groupby-repartition"), topology);
            assertTrue(d.stores().stream().noneMatch(s -> s.endsWith("-previous-store")), d.stores().toString());
            Random random = new Random(cache ? 13 : 31);
            Map<String, Long> categoryOf = new HashMap<>();
            Map<List<Object>, Long> best = new HashMap<>(); // (auction, category) -> max price
            Map<Long, String> sink = new TreeMap<>();
            long t = 1_000;
            for (int i = 0; i < 250; i++, t += 10) {
                String auction = "a" + random.nextInt(12);
                if (random.nextInt(5) == 0) {
                    long category = random.nextInt(3);
                    categoryOf.put(auction, category); // an auction moves: later bids go to the new category
                    d.pipe("auctions", auction, "{\"id\":\"" + auction + "\",\"category\":" + category + "}", t);
                } else {
                    long price = random.nextInt(1_000);
                    d.pipe("bids", "{\"auction\":\"" + auction + "\",\"price\":" + price + "}", t);
                    Long category = categoryOf.get(auction);
                    if (category != null) {
                        best.merge(List.of(auction, category), price, Math::max);
                    }
                }
                apply(d.read(), sink);
                assertEquals(model(best), sink, "after record " + i);
            }
            String outer = d.stores().stream().filter(s -> s.endsWith("per_category-aggregate-store")).findFirst()
                    .orElseThrow(() -> new AssertionError(d.stores().toString()));
            assertEquals(model(best).size(), d.entries(outer), "one state per category");
        }
    }

    /** Per category: SUM, COUNT and MAX of its auctions' best prices, as the sink writes the row. */
    private static Map<Long, String> model(Map<List<Object>, Long> best) {
        Map<Long, long[]> per = new TreeMap<>();
        best.forEach((k, price) -> {
            long[] agg = per.computeIfAbsent((Long) k.get(1), c -> new long[3]);
            agg[0] += price;
            agg[1]++;
            agg[2] = Math.max(agg[2], price);
        });
        Map<Long, String> out = new TreeMap<>();
        per.forEach((c, a) -> out.put(c, a[0] + "," + a[1] + "," + a[2]));
        return out;
    }

    /** Applies the changelog: +I/+U set the category's row, -U/-D remove the row they name. */
    private static void apply(List<String> records, Map<Long, String> sink) throws Exception {
        for (String r : records) {
            JsonNode v = JSON.readTree(r.substring(r.indexOf("-> ") + 3, r.lastIndexOf(" @")));
            long category = v.get("category").asLong();
            String row = v.get("total").asLong() + "," + v.get("auctions").asLong() + "," + v.get("top").asLong();
            switch (v.get("op").asText()) {
                case "+I", "+U" -> assertEquals(null, sink.put(category, row), "an insert over a row: " + r);
                case "-U", "-D" -> assertEquals(row, sink.remove(category), "a retraction of another row: " + r);
                default -> throw new AssertionError(r);
            }
        }
    }
}

package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unwindowed {@code <step>-distinct-store} behind its processor's local cache of entries and
 * its membership filter (CallBitsStore): q16's shape (COUNT(DISTINCT) of two columns, each with
 * FILTERed twins) over random records whose values repeat, are new, or come back after many
 * others; some records are refused by a Java aggregate, so the values they marked are taken back
 * (an entry deleted, or its bits restored). Every row the query emits is compared, in order, with a
 * model of plain sets of the accepted records. Each run restarts the driver twice, its stores
 * restored from the changelogs, so the cache starts empty and the filter is read from the store
 * (the changelogs also prove the rollbacks reached them); it runs with
 * the record cache off and on, and with a cache bound of a few entries, which evicts on almost
 * every record, and the default one. The store ends with one entry per (group, value) accepted.
 */
class DistinctLocalCacheScenarioTest {
    private static final String SQL = "CREATE FUNCTION nn_sum AS '"
            + UserAggregateStoreRollbackScenarioTest.NonNegativeSum.class.getName() + "';\n"
            + "CREATE STREAM s (k VARCHAR, a BIGINT, b BIGINT, p BIGINT, x BIGINT) "
            + "WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE TABLE t AS SELECT k, COUNT(*) AS n, COUNT(DISTINCT a) AS da, "
            + "COUNT(DISTINCT a) FILTER (WHERE p < 50) AS da_low, COUNT(DISTINCT a) FILTER (WHERE p >= 50) AS da_high, "
            + "COUNT(DISTINCT b) AS db, COUNT(DISTINCT b) FILTER (WHERE p < 20) AS db_low, nn_sum(x) AS s "
            + "FROM s GROUP BY k";
    private static final List<String> FIELDS = List.of("n", "da", "da_low", "da_high", "db", "db_low", "s");

    /** One accepted input row. */
    private record In(String k, long a, long b, long p, long x) {
    }

    /** The model: per group, the sets each DISTINCT call has seen, and the plain aggregates. */
    private static final class Model {
        final Map<String, long[]> plain = new HashMap<>(); // n, s
        final Map<String, List<Set<Long>>> seen = new HashMap<>(); // da, da_low, da_high, db, db_low

        List<Long> accept(In in) {
            long[] counts = plain.computeIfAbsent(in.k(), k -> new long[2]);
            counts[0]++;
            counts[1] += in.x();
            List<Set<Long>> sets = seen.computeIfAbsent(in.k(),
                    k -> List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>()));
            sets.get(0).add(in.a());
            if (in.p() < 50) {
                sets.get(1).add(in.a());
            } else {
                sets.get(2).add(in.a());
            }
            sets.get(3).add(in.b());
            if (in.p() < 20) {
                sets.get(4).add(in.b());
            }
            return List.of(counts[0], (long) sets.get(0).size(), (long) sets.get(1).size(), (long) sets.get(2).size(),
                    (long) sets.get(3).size(), (long) sets.get(4).size(), counts[1]);
        }

        /** One entry per (group, value): a and b are both BIGINT, so equal values share an entry. */
        long entries() {
            long n = 0;
            for (List<Set<Long>> sets : seen.values()) {
                Set<Long> values = new HashSet<>(sets.get(0));
                values.addAll(sets.get(3));
                n += values.size();
            }
            return n;
        }
    }

    @Test
    void everyRowMatchesTheModelAcrossRestartsEvictionsAndRollbacks() {
        scenario(false, "400");
        scenario(true, "400");
        scenario(true, "4194304");
    }

    private static void scenario(boolean recordCache, String cacheBytes) {
        String label = "record cache " + (recordCache ? "on" : "off") + ", local cache " + cacheBytes + " B";
        Random random = new Random(cacheBytes.length() * 31L + (recordCache ? 1 : 0));
        Map<String, String> settings = new HashMap<>(ScenarioSettings.deadLettering(recordCache));
        settings.put("sluice.distinct.cache.bytes", cacheBytes);
        Model model = new Model();
        int refused = 0;
        long t = 1_000;
        Map<String, List<TestRecord<byte[], byte[]>>> changelogs = new HashMap<>();
        for (int run = 0; run < 3; run++) {
            // A new driver, its stores restored from the changelogs so far: the processor's cache
            // starts empty and its filter is read from the restored store.
            try (ChangelogDriver d = new ChangelogDriver(SQL, settings)) {
                d.restore(changelogs);
                for (int i = 0; i < 80; i++, t += 1_000) {
                    String k = "k" + random.nextInt(3);
                    // a few hot values, and a growing range of new ones (a later run's records are mostly new)
                    long a = random.nextInt(3) == 0 ? random.nextInt(4) : random.nextInt(30 + 40 * run);
                    long b = random.nextInt(2) == 0 ? random.nextInt(5) : 100 + random.nextInt(300);
                    long p = random.nextInt(100);
                    boolean refuse = random.nextInt(6) == 0;
                    long x = refuse ? -1 : random.nextInt(10);
                    d.pipe("s", "{\"k\":\"" + k + "\",\"a\":" + a + ",\"b\":" + b + ",\"p\":" + p + ",\"x\":" + x + "}", t);
                    List<String> out = d.read();
                    String step = label + ", run " + run + ", record " + i;
                    if (refuse) {
                        refused++;
                        assertEquals(List.of(), out, step + ": a refused record emits nothing");
                        continue;
                    }
                    List<Long> expected = model.accept(new In(k, a, b, p, x));
                    assertEquals(1, out.size(), step + ": " + out);
                    JsonNode row = ChangelogDriver.valueOf(out.get(0));
                    assertEquals(k, row.get("k").asText(), step);
                    assertEquals(expected, FIELDS.stream().map(f -> row.get(f).asLong()).toList(), step + ": " + row);
                }
                assertEquals(model.entries(), d.entries(d.store("-distinct-store")),
                        label + ", run " + run + ": one entry per accepted (group, value)");
                d.changelogs().forEach((store, records) -> changelogs.computeIfAbsent(store, s -> new ArrayList<>())
                        .addAll(records));
            }
        }
        assertTrue(refused > 0, label + ": some records were refused");
    }
}

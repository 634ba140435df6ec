package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.grammar.SqlException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 20: over a table, {@code agg(DISTINCT x)} of ksqlDB's STDDEV_SAMPLE, SUM_LIST and a
 * Java aggregate with {@code retract} keeps value → rows in {@code <step>-values-store}, its plain
 * accumulator seeing a value's first arrival and last departure (before, a value → count map in the
 * state). Random inserts, updates, deletes and group moves of a table's rows (repeated values,
 * NULLs, FILTERs), every emitted row compared in order with the functions computed here over the
 * group's distinct live values, with the record cache off and on; when every row is deleted the
 * store is empty.
 */
class TableDistinctRetractingScenarioTest {
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** A Java aggregate that can retract: the sum of squares of its non-NULL values, NULL for none. */
    public static final class SumOfSquares {
        public static final class Acc {
            public long squares;
            public long values;
        }

        public Acc createAccumulator() {
            return new Acc();
        }

        public void accumulate(Acc acc, long value) {
            acc.squares += value * value;
            acc.values++;
        }

        public void retract(Acc acc, long value) {
            acc.squares -= value * value;
            acc.values--;
        }

        public Long getValue(Acc acc) {
            return acc.values == 0 ? null : acc.squares;
        }
    }

    /** The same without {@code retract}: over a table it is refused, DISTINCT or not. */
    public static final class SumOfSquaresWithoutRetract {
        public SumOfSquares.Acc createAccumulator() {
            return new SumOfSquares.Acc();
        }

        public void accumulate(SumOfSquares.Acc acc, long value) {
            acc.squares += value * value;
            acc.values++;
        }

        public Long getValue(SumOfSquares.Acc acc) {
            return acc.values == 0 ? null : acc.squares;
        }
    }

    private static final String TABLE = "CREATE FUNCTION sq AS '" + SumOfSquares.class.getName() + "';\n"
            + "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, d DOUBLE, arr ARRAY<BIGINT>) "
            + "WITH ('topic' = 'users', 'format' = 'json');\n";
    private static final String CALLS = "STDDEV_SAMPLE(DISTINCT d) AS ss, "
            + "STDDEV_SAMPLE(DISTINCT v) FILTER (WHERE d > 1) AS ssf, SUM_LIST(DISTINCT arr) AS sl, "
            + "sq(DISTINCT v) AS sqv, sq(DISTINCT v) FILTER (WHERE d < 2) AS sqf, COUNT(*) AS n";

    /** A live row: v BIGINT, d DOUBLE, arr ARRAY<BIGINT>; each may be NULL (arr's elements too). */
    private record In(Long v, Double d, List<Long> arr) {
    }

    private static String json(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(TableDistinctRetractingScenarioTest::json).toList().toString().replace(" ", "");
        }
        return String.valueOf(value);
    }

    private static In randomRow(Random r) {
        Long v = r.nextInt(8) == 0 ? null : (long) r.nextInt(6);
        Double d = r.nextInt(8) == 0 ? null : r.nextInt(6) / 2.0;
        List<Long> arr = null;
        if (r.nextInt(8) != 0) {
            arr = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                arr.add(r.nextInt(10) == 0 ? null : (long) r.nextInt(3));
            }
        }
        return new In(v, d, arr);
    }

    /** ksqlDB's STDDEV_SAMPLE over distinct values: 0.0 below two values. */
    private static double stddevSample(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return 0.0;
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        return Math.sqrt(values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (n - 1));
    }

    private static Long squares(List<In> rows, Predicate<In> filter) {
        List<Long> v = rows.stream().filter(filter).map(In::v).filter(Objects::nonNull).distinct().toList();
        return v.isEmpty() ? null : v.stream().mapToLong(x -> x * x).sum();
    }

    private static void assertRow(List<In> rows, JsonNode row, String context) {
        List<Double> d = rows.stream().map(In::d).filter(Objects::nonNull).distinct().toList();
        List<Double> vf = rows.stream().filter(r -> r.d() != null && r.d() > 1).map(In::v).filter(Objects::nonNull)
                .distinct().map(Long::doubleValue).toList();
        // incremental retraction rounds the last digits differently from this recomputation
        assertEquals(stddevSample(d), row.get("ss").asDouble(), 1e-9, context + " ss " + row);
        assertEquals(stddevSample(vf), row.get("ssf").asDouble(), 1e-9, context + " ssf " + row);
        long listSum = rows.stream().map(In::arr).filter(Objects::nonNull).distinct()
                .flatMap(List::stream).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        assertEquals(listSum, row.get("sl").asLong(), context + " sl " + row);
        Long sqv = squares(rows, r -> true);
        assertEquals(sqv, row.get("sqv").isNull() ? null : row.get("sqv").asLong(), context + " sqv " + row);
        Long sqf = squares(rows, r -> r.d() != null && r.d() < 2);
        assertEquals(sqf, row.get("sqf").isNull() ? null : row.get("sqf").asLong(), context + " sqf " + row);
        assertEquals(rows.size(), row.get("n").asLong(), context + " n");
    }

    /**
     * One entry per (group, call, distinct argument value) among the rows its FILTER keeps, NULL
     * included: the store holds nothing else, and nothing of a value whose last row left.
     */
    private static long expectedEntries(Map<String, List<In>> groups) {
        long entries = 0;
        for (List<In> rows : groups.values()) {
            entries += rows.stream().map(r -> java.util.Optional.ofNullable(r.d())).distinct().count();
            entries += rows.stream().filter(r -> r.d() != null && r.d() > 1)
                    .map(r -> java.util.Optional.ofNullable(r.v())).distinct().count();
            entries += rows.stream().map(r -> java.util.Optional.ofNullable(r.arr())).distinct().count();
            entries += rows.stream().map(r -> java.util.Optional.ofNullable(r.v())).distinct().count();
            entries += rows.stream().filter(r -> r.d() != null && r.d() < 2)
                    .map(r -> java.util.Optional.ofNullable(r.v())).distinct().count();
        }
        return entries;
    }

    @Test
    void everyChangelogRowFollowsTheDistinctLiveValuesWithTheCacheOffAndOn() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            tableGroupBy(settings);
        }
    }

    private static void tableGroupBy(Map<String, String> settings) {
        String sql = TABLE + "CREATE STREAM c AS SELECT region, " + CALLS + " FROM users GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-values-store")), d.stores().toString());
            // now and then a user moves between regions: its values leave one group for another
            UsersByRegion<In> users = new UsersByRegion<>(d, new Random(31), 12, r -> r.nextInt(3) == 0 ? "us" : "eu");
            for (int i = 0; i < 100; i++) {
                users.step(1_000L * (i + 1), (random, out) -> {
                    In row = randomRow(random);
                    out.append(",\"v\":").append(row.v()).append(",\"d\":").append(row.d())
                            .append(",\"arr\":").append(json(row.arr()));
                    return row;
                });
                String step = "step " + i;
                users.checkInOrder(step, (group, row) -> assertRow(group, row, step + ", " + settings));
                assertEquals(expectedEntries(users.groups()), d.entries(d.store("-values-store")), step);
            }
            users.deleteAll(1_000_000);
            assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value is left");
        }
    }

    @Test
    void aJavaAggregateWithoutRetractIsStillRefusedOverATable() {
        String sql = "CREATE FUNCTION sq0 AS '" + SumOfSquaresWithoutRetract.class.getName() + "';\n"
                + TABLE.substring(TABLE.indexOf('\n') + 1);
        for (String call : List.of("sq0(DISTINCT v)", "sq0(v)")) {
            SqlException e = assertThrows(SqlException.class, () -> new ChangelogDriver(sql
                    + "CREATE TABLE t AS SELECT region, " + call + " AS s FROM users GROUP BY region").close());
            assertTrue(e.getMessage().contains("cannot be computed over a table"), e.getMessage());
        }
    }

    /** What sluice diff and the start-up guard compare: format 20 is named in the aggregate store's description. */
    @Test
    void sluiceDiffNamesStateFormat20() {
        for (String call : List.of("STDDEV_SAMPLE(DISTINCT d)", "SUM_LIST(DISTINCT arr)", "sq(DISTINCT v)")) {
            String store = aggregateStore(TABLE + "CREATE TABLE t AS SELECT region, " + call + " AS s, "
                    + "STDDEV_POP(DISTINCT d) AS p FROM users GROUP BY region");
            assertTrue(store.contains("DISTINCT values of STDDEV_SAMPLE, SUM_LIST, Java aggregates over "
                    + "<step>-values-store, state format 20"), call + ": " + store);
        }
        for (String call : List.of("STDDEV_SAMPLE(d)", "sq(v)", "STDDEV_POP(DISTINCT d)", "SUM(DISTINCT v)",
                "ARRAY_AGG(DISTINCT v)", "MIN(DISTINCT v)")) {
            String store = aggregateStore(TABLE + "CREATE TABLE t AS SELECT region, " + call + " AS s FROM users "
                    + "GROUP BY region");
            assertTrue(!store.contains("state format 20"), call + ": " + store);
        }
    }

    private static String aggregateStore(String sql) {
        List<dev.sluice.compiler.optimizer.StateResources.Resource> resources =
                dev.sluice.compiler.optimizer.StateResources.of(new dev.sluice.compiler.SluiceCompiler(
                        dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock())
                        .compile(sql, "t", dev.sluice.runtime.build.BuildOptions.PRODUCTION));
        return resources.stream().filter(r -> r.name().endsWith("-aggregate-store")).findFirst()
                .orElseThrow(() -> new AssertionError(resources.toString())).value();
    }
}

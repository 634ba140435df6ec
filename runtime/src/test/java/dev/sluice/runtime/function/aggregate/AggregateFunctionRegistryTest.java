package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregateFunctionRegistryTest {
    private final AggregateFunctionRegistry registry = new AggregateFunctionRegistry();

    @Test
    void looksUpNamesAndAliasesIgnoringCase() {
        assertEquals("COUNT", registry.lookup("count").orElseThrow().name());
        assertEquals("STDDEV_SAMP", registry.lookup("StdDev").orElseThrow().name());
        assertEquals("VAR_SAMP", registry.lookup("variance").orElseThrow().name());
        assertEquals("ARRAY_AGG", registry.lookup("Collect_List").orElseThrow().name());
        assertEquals("BOOL_AND", registry.lookup("every").orElseThrow().name());
        assertTrue(registry.isAggregate("sum"));
        assertFalse(registry.isAggregate("upper"));
        assertTrue(registry.lookup("upper").isEmpty());
    }

    @Test
    void namesListEveryFunctionAndAlias() {
        assertEquals(Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "STDDEV_SAMP", "STDDEV_POP",
                "VAR_SAMP", "VARIANCE", "VAR_POP", "APPROX_PERCENTILE", "APPROX_COUNT_DISTINCT", "PERCENTILE_CONT",
                "PERCENTILE_DISC", "ARRAY_AGG", "COLLECT_LIST", "FIRST", "LAST", "EARLIEST_BY_OFFSET",
                "LATEST_BY_OFFSET", "COUNT_IF", "BOOL_AND", "EVERY", "BOOL_OR", "COLLECT_SET", "COUNT_DISTINCT",
                "HISTOGRAM", "TOPK", "TOPKDISTINCT", "ATTR", "CORRELATION", "STDDEV_SAMPLE", "SUM_LIST",
                "COLLECT_LIST_BOUNDED", "COLLECT_SET_BOUNDED"), registry.names());
    }

    @Test
    void firstValueAndLastValueAreNotAggregates() {
        // they are window functions; FIRST/LAST are the aggregates
        assertFalse(registry.isAggregate("FIRST_VALUE"));
        assertFalse(registry.isAggregate("LAST_VALUE"));
    }

    @Test
    void everyFunctionRoundTripsAndMergesEmptyAccumulators() {
        Expr x = col(0, ScalarType.BIGINT);
        Expr half = lit(0.5, ScalarType.DOUBLE);
        Map<String, List<Expr>> calls = new TreeMap<>();
        for (String name : registry.names()) {
            calls.put(name, List.of(x));
        }
        calls.put("COUNT", List.of());
        calls.put("APPROX_PERCENTILE", List.of(x, half));
        calls.put("PERCENTILE_CONT", List.of(x, half));
        calls.put("PERCENTILE_DISC", List.of(x, half));
        calls.put("HISTOGRAM", List.of(col(0, ScalarType.VARCHAR)));
        calls.put("TOPK", List.of(x, lit(2, ScalarType.INTEGER)));
        calls.put("TOPKDISTINCT", List.of(x, lit(2, ScalarType.INTEGER)));
        calls.put("COLLECT_LIST_BOUNDED", List.of(x, lit(2L, ScalarType.BIGINT)));
        calls.put("COLLECT_SET_BOUNDED", List.of(x, lit(2L, ScalarType.BIGINT)));
        calls.put("CORRELATION", List.of(x, col(1, ScalarType.BIGINT)));
        calls.put("SUM_LIST", List.of(col(0, new dev.sluice.serdes.row.ArrayType(ScalarType.BIGINT))));
        for (String bool : List.of("COUNT_IF", "BOOL_AND", "EVERY", "BOOL_OR")) {
            calls.put(bool, List.of(col(0, ScalarType.BOOLEAN)));
        }
        for (Map.Entry<String, List<Expr>> call : calls.entrySet()) {
            AggregateHarness h = AggregateHarness.of(call.getKey(), call.getValue().toArray(Expr[]::new));
            Accumulator empty = h.roundTrip(h.factory.create());
            empty.merge(h.roundTrip(h.factory.create()));
            Object result = h.roundTrip(empty).result();
            boolean counts = Set.of("COUNT", "COUNT_IF", "APPROX_COUNT_DISTINCT", "COUNT_DISTINCT").contains(call.getKey());
            // counts are 0, ksqlDB's HISTOGRAM an empty map, its SUM_LIST 0, its STDDEV_SAMPLE 0.0 and its CORRELATION
            // 0/0 (NaN), its limited collections [], the rest NULL
            Object expected = counts ? (Object) 0L : switch (call.getKey()) {
                case "HISTOGRAM" -> Map.of();
                case "STDDEV_SAMPLE" -> 0.0;
                case "CORRELATION" -> Double.NaN;
                case "SUM_LIST" -> 0L;
                case "COLLECT_LIST_BOUNDED", "COLLECT_SET_BOUNDED" -> List.of(); // ksqlDB's initial empty list
                default -> null;
            };
            assertEquals(expected, result, call.getKey());
        }
    }
}

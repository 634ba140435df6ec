package dev.sluice.runtime.function.aggregate;

import org.junit.jupiter.api.Test;

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
        assertTrue(registry.isAggregate("sum"));
        assertFalse(registry.isAggregate("upper"));
        assertTrue(registry.lookup("upper").isEmpty());
    }

    @Test
    void namesListAliasesToo() {
        assertTrue(registry.names().containsAll(java.util.Set.of("COUNT", "SUM", "AVG", "MIN", "MAX",
                "STDDEV", "STDDEV_SAMP", "STDDEV_POP", "VAR_SAMP", "VARIANCE", "VAR_POP")));
    }

    @Test
    void firstValueAndLastValueAreNotAggregates() {
        // they are window functions; FIRST/LAST are the aggregates
        assertFalse(registry.isAggregate("FIRST_VALUE"));
        assertFalse(registry.isAggregate("LAST_VALUE"));
    }
}

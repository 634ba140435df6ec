package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BooleanAggregatesTest {

    private static AggregateHarness call(String name) {
        return AggregateHarness.of(name, col(0, ScalarType.BOOLEAN));
    }

    @Test
    void countIfCountsTrueOnly() {
        assertEquals(2L, call("COUNT_IF").aggregate(values(true, false, null, true)));
        assertEquals(0L, call("COUNT_IF").aggregate(values(null, false)));
        assertEquals(ScalarType.BIGINT, call("COUNT_IF").returnType);
    }

    @Test
    void boolAndAndOrIgnoreNullsAndAreNullWithoutInput() {
        assertEquals(false, call("BOOL_AND").aggregate(values(true, false, null)));
        assertEquals(true, call("EVERY").aggregate(values(true, null, true)));
        assertEquals(true, call("BOOL_OR").aggregate(values(false, true, null)));
        assertEquals(false, call("BOOL_OR").aggregate(values(false, null)));
        assertNull(call("BOOL_AND").aggregate(values(null, null)));
        assertNull(call("BOOL_OR").aggregate(values()));
    }

    @Test
    void mergeAndRetraction() {
        var inputs = values(true, false, null, true, false);
        for (String f : new String[]{"COUNT_IF", "BOOL_AND", "BOOL_OR"}) {
            call(f).assertMergeEqualsSequential(inputs);
            call(f).assertRetractionUndoesAdd(inputs);
        }
    }

    @Test
    void rejectsNonBoolean() {
        var e = assertThrows(FunctionException.class, () -> AggregateHarness.of("BOOL_OR", col(0, ScalarType.BIGINT)));
        assertEquals("BOOL_OR expects a BOOLEAN argument, got BIGINT", e.getMessage());
    }
}

package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 22: a stream GROUP BY whose DISTINCT calls {@link DistinctValues} marks over one
 * {@code <step>-distinct-store} entry per group and value. The aggregate's own state is laid out
 * as in format 3; its tag tells a state written with the older store (one entry per call) apart,
 * which is refused with the formats named rather than read against the wrong store.
 */
class DistinctPerValueStateFormatTest {
    private static final DefaultFunctionCatalog BUILT_IN = DefaultFunctionCatalog.wallClock();
    private static final Expr BIDDER = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final AggregateCall COUNT_DISTINCT = new AggregateCall("COUNT", List.of(BIDDER), true,
            Optional.empty(), List.of(), ScalarType.BIGINT);
    private static final AggregateCall SUM = new AggregateCall("SUM", List.of(BIDDER), false, Optional.empty(),
            List.of(), ScalarType.BIGINT);

    private static Aggregation stream(boolean perValue) {
        Aggregation aggregation = Aggregation.overStream(List.of(COUNT_DISTINCT, SUM), -1, BUILT_IN,
                new ExprCompiler(BUILT_IN), 1, -1, false);
        if (perValue) {
            aggregation.tagDistinctPerValue();
        }
        return aggregation;
    }

    @Test
    void aTaggedStateReadsBackAndAnOlderOneIsRefused() {
        Aggregation current = stream(true);
        AggregateState state = current.initial();
        state = current.add(dev.sluice.serdes.row.Row.of(5L, 1L), state);
        byte[] bytes = current.serde().serializer().serialize("t", state);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_PER_VALUE, bytes[0]);
        AggregateState read = current.serde().deserializer().deserialize("t", bytes);
        assertEquals(List.of(1L, 5L), java.util.Arrays.asList(current.results(read, 0)));
        // the same query before format 22: tagged 3, its distinct store keyed per call
        byte[] older = stream(false).serde().serializer().serialize("t", stream(false).initial());
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_IN_STORE, older[0]);
        SerializationException refused = assertThrows(SerializationException.class,
                () -> current.serde().deserializer().deserialize("t", older));
        assertTrue(refused.getMessage().contains("format version 3; this query reads version 22"), refused.getMessage());
        assertTrue(refused.getMessage().contains("22: a stream GROUP BY's DISTINCT values one entry per group and value"),
                refused.getMessage());
    }

    @Test
    void theTagWinsOverTheConstantSortKeysTag() {
        Aggregation tagged = stream(true);
        tagged.tagConstantListsBeside();
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_PER_VALUE,
                tagged.serde().serializer().serialize("t", tagged.initial())[0]);
    }
}

package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 19: an ARRAY_AGG / COLLECT_LIST of a constant keeps a row count, where every older
 * format held the list. The state's size does not grow with the group's rows, it reads back, the
 * results are the list's (NULL for no rows, the constant once per row, a NULL constant too), and
 * state of an older format is refused with a message naming both versions.
 */
class ConstantListsStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr X = new Expr.Literal("x", ScalarType.VARCHAR);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateCall arrayAgg(Expr element, boolean distinct, List<Boolean> descending, Expr... keys) {
        List<Expr> arguments = new java.util.ArrayList<>(List.of(element));
        arguments.addAll(List.of(keys));
        return new AggregateCall("ARRAY_AGG", arguments, distinct, Optional.empty(), descending,
                new ArrayType(element.type()));
    }

    private static Aggregation stream(List<AggregateCall> calls) {
        return Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), -1, -1);
    }

    private static AggregateState rows(Aggregation aggregation, int n) {
        AggregateState state = aggregation.initial();
        for (int i = 0; i < n; i++) {
            state = aggregation.add(Row.of((long) (i % 3)), state);
        }
        return state;
    }

    @Test
    void aConstantListIsACountInFormat19WhoseSizeDoesNotGrow() {
        List<AggregateCall> calls = List.of(arrayAgg(X, false, List.of()),
                arrayAgg(X, false, List.of(true), V),
                arrayAgg(new Expr.Literal(null, ScalarType.VARCHAR), false, List.of()),
                arrayAgg(X, true, List.of()),
                new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT));
        Aggregation aggregation = stream(calls);
        byte[] empty = aggregation.serde().serializer().serialize("t", aggregation.initial());
        assertEquals(AggregateStateSerde.VERSION_CONSTANT_LISTS, empty[0]);
        assertEquals(Arrays.asList(null, null, null, null, 0L),
                Arrays.asList(aggregation.results(aggregation.initial(), 0)));
        byte[] three = aggregation.serde().serializer().serialize("t", rows(aggregation, 3));
        // 200 and 16,000 rows: every count a two-byte varint, and nothing else grows
        assertEquals(aggregation.serde().serializer().serialize("t", rows(aggregation, 200)).length,
                aggregation.serde().serializer().serialize("t", rows(aggregation, 16_000)).length);
        AggregateState read = aggregation.serde().deserializer().deserialize("t", three);
        assertEquals(Arrays.asList(List.of("x", "x", "x"), List.of("x", "x", "x"), Arrays.asList(null, null, null),
                List.of("x"), 3L), Arrays.asList(aggregation.results(read, 0)));
        // retraction counts down to NULL
        AggregateState one = aggregation.retract(Row.of(1L), rows(aggregation, 2));
        assertEquals(Arrays.asList(List.of("x"), List.of("x"), Arrays.asList((Object) null), List.of("x"), 1L),
                Arrays.asList(aggregation.results(one, 0)));
        AggregateState none = aggregation.retractKeepingGroup(Row.of(0L), one);
        assertEquals(Arrays.asList(null, null, null, null, 0L), Arrays.asList(aggregation.results(none, 0)));
    }

    @Test
    void olderStateOfAConstantListIsRefused() {
        Aggregation constant = stream(List.of(arrayAgg(X, false, List.of())));
        Aggregation variable = stream(List.of(arrayAgg(V, false, List.of())));
        byte[] old = variable.serde().serializer().serialize("t", rows(variable, 2));
        assertEquals(AggregateStateSerde.VERSION, old[0]);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> constant.serde().deserializer().deserialize("app-q-store-changelog", old));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 19"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("19: ARRAY_AGG / COLLECT_LIST of a constant as a row count"),
                upgrade.getMessage());
        byte[] now = constant.serde().serializer().serialize("t", rows(constant, 2));
        assertThrows(SerializationException.class, () -> variable.serde().deserializer().deserialize("t", now));
    }
}

package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.SqlType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Binds one aggregate call through the registry and drives its accumulators the way operators do. */
final class AggregateHarness {
    static final AggregateFunctionRegistry REGISTRY = new AggregateFunctionRegistry();

    /** One input: the non-constant argument values and the event time. */
    record Input(Object[] values, long timestamp) {
        @Override
        public String toString() {
            return Arrays.toString(values) + "@" + timestamp;
        }
    }

    final AggregateFunction function;
    final List<Expr> arguments;
    final SqlType returnType;
    final AccumulatorFactory factory;

    AggregateHarness(AggregateFunction function, List<Expr> arguments, SqlType returnType, AccumulatorFactory factory) {
        this.function = function;
        this.arguments = arguments;
        this.returnType = returnType;
        this.factory = factory;
    }

    static AggregateHarness of(String name, Expr... arguments) {
        return sorted(name, List.of(), arguments);
    }

    /** A call whose last {@code descending.size()} arguments are ORDER BY keys. */
    static AggregateHarness sorted(String name, List<Boolean> descending, Expr... arguments) {
        AggregateFunction f = REGISTRY.lookup(name).orElseThrow(() -> new AssertionError("no aggregate " + name));
        List<Expr> args = List.of(arguments);
        SqlType type = f.returnType(args);
        return new AggregateHarness(f, args, type, f.implement(args, type, descending));
    }

    static AggregateHarness changelog(String name, Expr... arguments) {
        AggregateFunction f = REGISTRY.lookup(name).orElseThrow();
        List<Expr> args = List.of(arguments);
        SqlType type = f.returnType(args);
        return new AggregateHarness(f, args, type,
                AggregateFunctionRegistry.implementForChangelog(f, args, type, List.of()));
    }

    AggregateHarness withFactory(AccumulatorFactory other) {
        return new AggregateHarness(function, arguments, returnType, other);
    }

    static Expr.InputRef col(int index, SqlType type) {
        return new Expr.InputRef(index, type);
    }

    static Expr.Literal lit(Object value, SqlType type) {
        return new Expr.Literal(value, type);
    }

    /** Single-argument inputs, timestamps 0, 1, 2, ... */
    static List<Input> values(Object... values) {
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            inputs.add(new Input(new Object[]{values[i]}, i));
        }
        return inputs;
    }

    static Input in(long timestamp, Object... values) {
        return new Input(values, timestamp);
    }

    Accumulator accumulate(List<Input> inputs) {
        Accumulator a = factory.create();
        for (Input in : inputs) {
            a.add(in.values(), in.timestamp());
        }
        return a;
    }

    Object aggregate(List<Input> inputs) {
        return roundTrip(accumulate(inputs)).result();
    }

    Accumulator roundTrip(Accumulator a) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.write(new DataOutputStream(bytes));
            Accumulator back = factory.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertSameResult(a.result(), back.result(), "after write/read");
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int serializedSize(Accumulator a) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.write(new DataOutputStream(bytes));
            return bytes.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For every split point: adding the two halves to separate accumulators, serializing both and
     * merging gives the result of adding everything to one.
     */
    void assertMergeEqualsSequential(List<Input> inputs) {
        Object expected = accumulate(inputs).result();
        for (int split = 0; split <= inputs.size(); split++) {
            Accumulator left = roundTrip(accumulate(inputs.subList(0, split)));
            Accumulator right = roundTrip(accumulate(inputs.subList(split, inputs.size())));
            left.merge(right);
            assertSameResult(expected, roundTrip(left).result(), "merge at split " + split + " of " + inputs);
        }
    }

    /**
     * Kafka Streams reads the state back before every update: adding to an accumulator read from
     * bytes, one input at a time, must give the result of adding everything to one.
     */
    void assertAddAfterReadContinues(List<Input> inputs) {
        Accumulator a = factory.create();
        for (Input in : inputs) {
            a = roundTrip(a);
            a.add(in.values(), in.timestamp());
        }
        assertSameResult(accumulate(inputs).result(), roundTrip(a).result(), "adding after each read of " + inputs);
    }

    /** Adding everything then retracting a suffix gives the result of adding the prefix only. */
    void assertRetractionUndoesAdd(List<Input> inputs) {
        for (int keep = 0; keep <= inputs.size(); keep++) {
            Accumulator a = roundTrip(accumulate(inputs));
            assertTrue(a.canRetract(), function.name() + " should retract");
            for (Input in : inputs.subList(keep, inputs.size())) {
                a.retract(in.values(), in.timestamp());
            }
            assertSameResult(accumulate(inputs.subList(0, keep)).result(), roundTrip(a).result(),
                    "keeping " + keep + " of " + inputs);
        }
    }

    static void assertSameResult(Object expected, Object actual, String message) {
        if (expected instanceof Double e && actual instanceof Double a) {
            if (e.isNaN() || a.isNaN()) {
                assertEquals(e, a, message); // NaN (ksqlDB's CORRELATION of one row) equals only NaN
                return;
            }
            assertEquals(e, a, 1e-9 * Math.max(1, Math.abs(e)), message);
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            assertEquals(e.size(), a.size(), message);
            for (int i = 0; i < e.size(); i++) {
                assertSameResult(e.get(i), a.get(i), message);
            }
        } else if (expected instanceof byte[] e && actual instanceof byte[] a) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e, a, message);
        } else if (expected == null || actual == null) {
            if (expected != actual) {
                fail(message + ": expected " + expected + " but was " + actual);
            }
        } else {
            assertEquals(expected, actual, message);
        }
    }
}

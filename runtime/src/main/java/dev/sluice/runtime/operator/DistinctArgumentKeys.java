package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * How a DISTINCT call's argument values are written in the stores that answer "was this value seen"
 * ({@code <step>-distinct-store} of {@link DistinctValues} and {@link SessionDistinctValues}, and a
 * table's DISTINCT calls in {@link ValueCounts}' store). {@link ValueCodec} writes a MAP's entries
 * and a VARIANT object's fields in arrival order, so two equal maps could have two keys and count
 * twice; when an argument's type holds a MAP or VARIANT anywhere, the arguments are written as
 * {@link EqualityKeyBytes} instead (state format 15). Every other type keeps its
 * {@link ValueCodec} key, so the stores of queries without such a type are unchanged.
 */
public final class DistinctArgumentKeys {
    private DistinctArgumentKeys() {
    }

    /** Whether a value of {@code type} can be spelled in several ways by {@link ValueCodec}: a MAP or VARIANT inside. */
    static boolean unordered(SqlType type) {
        if (type == ScalarType.VARIANT || type instanceof MapType) {
            return true;
        }
        if (type instanceof ArrayType a) {
            return unordered(a.element());
        }
        if (type instanceof StructType s) {
            return s.fields().stream().anyMatch(f -> unordered(f.type()));
        }
        return false;
    }

    /** Whether arguments of {@code types} are keyed by {@link EqualityKeyBytes}. */
    static boolean byEquality(List<SqlType> types) {
        for (int i = 0; i < types.size(); i++) { // per record: a loop, not a stream pipeline
            if (unordered(types.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Appends the key of the arguments {@code values} of {@code types}. */
    static void write(ByteArrayDataOutput out, List<SqlType> types, Object[] values) {
        if (byEquality(types)) {
            // each key is self-delimiting, so their concatenation splits one way only
            for (int i = 0; i < types.size(); i++) {
                EqualityKeyBytes.write(out, types.get(i), values[i]);
            }
            return;
        }
        try {
            ValueCodec.writeValues(out, types, values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a distinct value", e);
        }
    }

    /** The key of the arguments {@code values} on its own. */
    static byte[] of(List<SqlType> types, Object[] values) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        write(out, types, values);
        return out.toByteArray();
    }

    /** The arguments whose key {@link #of} wrote. */
    static Object[] read(List<SqlType> types, byte[] key) {
        if (byEquality(types)) {
            return EqualityKeyBytes.readAll(key, 0, types);
        }
        try {
            return ValueCodec.readRow(new ByteArrayDataInput(key), types).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a distinct value", e);
        }
    }

    /**
     * Whether a GROUP BY of {@code calls} ({@code changelog}: over a table) keys some DISTINCT call's
     * values by {@link EqualityKeyBytes} in one of these stores (state format 15), as
     * {@link Aggregation} decides at build time. {@code sluice diff} and the start-up guard compare it.
     */
    public static boolean applies(List<AggregateCall> calls, boolean changelog, Optional<WindowSpec> window) {
        boolean session = window.map(w -> w.kind() == WindowSpec.Kind.SESSION).orElse(false);
        if (changelog ? calls.size() > Byte.MAX_VALUE : !DistinctValues.applies(calls)) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            if (!call.distinct() || variable.isEmpty() || !byEquality(variable.stream().map(Expr::type).toList())) {
                continue;
            }
            boolean kept;
            if (changelog) {
                kept = TableDistinctCalls.keepsValuesBeside(call);
            } else if (session) {
                kept = SessionDistinctValues.keeps(call);
            } else {
                kept = StoredMultiset.of(call, variable, false, true).isEmpty();
            }
            if (kept) {
                return true;
            }
        }
        return false;
    }
}

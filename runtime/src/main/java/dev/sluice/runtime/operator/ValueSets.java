package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ksqlDB's COLLECT_SET and HISTOGRAM kept beside the aggregate's state, by value, instead of as a
 * value → count map in the state, which Kafka Streams read, copied and rewrote whole on every
 * record (O(d) per record in the group's distinct values). Both list their values in first-seen
 * order, so a value has two entries, as Flink keeps a MapState plus an order:
 * <ul>
 *   <li>an element under its first arrival's sequence number, in the call's element range of
 *       {@link ListElements}' or {@link TableElements}' store, whose bytes are a count (8 bytes,
 *       big-endian: the rows that carry the value; over a stream COLLECT_SET needs none and its element
 *       is the value alone) then the value's row encoding;</li>
 *   <li>an index entry keyed by the value's encoding (the store's own layout, {@link #INDEX}
 *       first), holding that sequence number, so a record finds its value's element with one point
 *       read.</li>
 * </ul>
 * Per record and call: one index read; for a new value an element and an index write, for a value
 * already there (HISTOGRAM, or over a table) one element read and write. The result is read by one
 * range scan over the elements, in arrival order, when a row is emitted (it is the whole
 * collection). Over a table a retraction counts the value down and deletes both entries when its
 * last row leaves; the value, if it comes back, takes a new sequence number and is listed last, as
 * the in-value map (a {@code LinkedHashMap}) re-inserts it.
 *
 * <p>Same results as the in-value accumulator ({@code ValueCountsFunction}): COLLECT_SET lists
 * NULL (once) as a value and is NULL over no rows; HISTOGRAM skips NULL and is an empty map over
 * no values. Equal values are equal encodings (a MAP's entries taken in key order). No limit on the entries, as the in-value form.
 */
final class ValueSets {
    /** The first key byte of the index entries in either store ('S'; the stores' other kinds are small numbers). */
    static final byte INDEX = 0x53;

    enum Kind {
        /** COLLECT_SET: the values in first-seen order, NULL included. */
        SET,
        /** HISTOGRAM: value → count, first-seen order, NULL skipped. */
        HISTOGRAM
    }

    private ValueSets() {
    }

    /** COLLECT_SET or HISTOGRAM of one non-constant argument, not DISTINCT; else null. */
    static Kind kind(AggregateCall call) {
        return call.distinct() ? null : kindOf(call);
    }

    /**
     * As {@link #kind}, DISTINCT or not (state format 18): over a stream {@code DistinctValues}
     * passes a DISTINCT call each value once, over a table the counts per value are the DISTINCT
     * set already (HISTOGRAM(DISTINCT) shows 1 for each live value: {@link Result#distinct}).
     */
    static Kind kindOf(AggregateCall call) {
        if (!call.sortDescending().isEmpty() || call.arguments().size() != 1
                || call.arguments().stream().anyMatch(Expr::isConstant)) {
            return null;
        }
        return switch (call.function().toUpperCase(Locale.ROOT)) {
            case "COLLECT_SET" -> Kind.SET;
            case "HISTOGRAM" -> Kind.HISTOGRAM;
            default -> null;
        };
    }

    /** Whether the call takes {@code value} at all (HISTOGRAM skips NULL). */
    static boolean counts(Kind kind, Object value) {
        return value != null || kind == Kind.SET;
    }

    /** A value's index key: {@code (INDEX, scope, value)}, the scope being the store's own (group, window, call) prefix. */
    static Bytes indexKey(byte[] scope, byte[] value) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + scope.length + value.length).put(INDEX)
                .putInt(scope.length).put(scope).put(value).array());
    }

    static byte[] encode(SqlType type, Object value) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            ValueCodec.writeRow(out, List.of(type), Row.of(value));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a COLLECT_SET/HISTOGRAM value", e);
        }
    }

    /**
     * The bytes a value is indexed by: its encoding, with every MAP's entries (at any depth) in the
     * order of their keys' encodings, so that two equal maps built in different orders are one
     * value, as {@code Map#equals} says (the element keeps the value as it first arrived).
     */
    static byte[] indexBytes(SqlType type, Object value) {
        return encode(type, hasMap(type) ? canonical(type, value) : value);
    }

    /** {@link #indexBytes} of a value given by its encoding. */
    static byte[] indexBytesOf(SqlType type, byte[] encoded) {
        return hasMap(type) ? indexBytes(type, decode(type, encoded, 0)) : encoded;
    }

    private static boolean hasMap(SqlType type) {
        if (type instanceof dev.sluice.serdes.row.MapType) {
            return true;
        }
        if (type instanceof dev.sluice.serdes.row.ArrayType a) {
            return hasMap(a.element());
        }
        if (type instanceof dev.sluice.serdes.row.StructType st) {
            return st.fields().stream().anyMatch(f -> hasMap(f.type()));
        }
        return false;
    }

    private static Object canonical(SqlType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type instanceof dev.sluice.serdes.row.MapType m) {
            java.util.TreeMap<byte[], Map.Entry<Object, Object>> sorted = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                Object key = canonical(m.key(), e.getKey());
                sorted.put(encode(m.key(), key), Map.entry(key == null ? NULL_KEY : key,
                        e.getValue() == null ? NULL_KEY : canonical(m.value(), e.getValue())));
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            sorted.values().forEach(e -> out.put(e.getKey() == NULL_KEY ? null : e.getKey(),
                    e.getValue() == NULL_KEY ? null : e.getValue()));
            return out;
        }
        if (type instanceof dev.sluice.serdes.row.ArrayType a) {
            List<Object> out = new java.util.ArrayList<>();
            for (Object e : (List<?>) value) {
                out.add(canonical(a.element(), e));
            }
            return out;
        }
        if (type instanceof dev.sluice.serdes.row.StructType st) {
            Row row = (Row) value;
            Object[] out = new Object[row.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = canonical(st.fields().get(i).type(), row.get(i));
            }
            return Row.of(out);
        }
        return value;
    }

    /** Stands for NULL in a {@code Map.entry}, which takes no null. */
    private static final Object NULL_KEY = new Object();

    static Object decode(SqlType type, byte[] bytes, int offset) {
        try {
            ByteArrayDataInput in = new ByteArrayDataInput(bytes, offset, bytes.length - offset);
            return ValueCodec.readRow(in, List.of(type)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a COLLECT_SET/HISTOGRAM value", e);
        }
    }

    /** A counted element: the count, then the value's encoding. */
    static byte[] counted(long count, byte[] value) {
        return ByteBuffer.allocate(Long.BYTES + value.length).putLong(count).put(value).array();
    }

    static long countOf(byte[] counted) {
        return ByteBuffer.wrap(counted).getLong();
    }

    static byte[] valueOf(byte[] counted) {
        return java.util.Arrays.copyOfRange(counted, Long.BYTES, counted.length);
    }

    static long sequence(byte[] indexValue) {
        return ByteBuffer.wrap(indexValue).getLong();
    }

    static byte[] sequenceBytes(long sequence) {
        return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
    }

    /** Collects a call's result from its counted elements in arrival order. */
    static final class Result {
        private final Kind kind;
        private final SqlType type;
        private final List<Object> set;
        private final Map<Object, Long> histogram;

        /** HISTOGRAM(DISTINCT x) over a table: every live value counts once, whatever its rows. */
        private boolean distinct;

        Result(Kind kind, SqlType type) {
            this.kind = kind;
            this.type = type;
            this.set = kind == Kind.SET ? new java.util.ArrayList<>() : null;
            this.histogram = kind == Kind.HISTOGRAM ? new LinkedHashMap<>() : null;
        }

        /** Counts every value once (a table's HISTOGRAM(DISTINCT x)). */
        Result distinct() {
            this.distinct = true;
            return this;
        }

        /** The next counted element ({@link #counted}). */
        void add(byte[] counted) {
            Object value = decode(type, counted, Long.BYTES);
            if (kind == Kind.SET) {
                set.add(value);
            } else {
                histogram.put(value, distinct ? 1L : countOf(counted));
            }
        }

        /** The values added so far, in their order (not to be changed). */
        List<Object> values() {
            return kind == Kind.SET ? set : new java.util.ArrayList<>(histogram.keySet());
        }

        /** The result: COLLECT_SET NULL when empty, HISTOGRAM an empty map. */
        Object result() {
            if (kind == Kind.SET) {
                return set.isEmpty() ? null : Collections.unmodifiableList(set);
            }
            return Collections.unmodifiableMap(histogram);
        }
    }

    /**
     * Counts {@code value} into the call whose index scope is {@code scope}; a new value becomes the
     * element {@code elementKey(sequence)} at {@code nextSequence}. Returns whether it was new.
     */
    static boolean add(KeyValueStore<Bytes, byte[]> store, byte[] scope, byte[] indexValue, byte[] value,
                       long nextSequence, java.util.function.LongFunction<Bytes> elementKey, boolean countedElement) {
        Bytes index = indexKey(scope, indexValue);
        byte[] held = store.get(index);
        if (held == null) {
            store.put(index, sequenceBytes(nextSequence));
            store.put(elementKey.apply(nextSequence), countedElement ? counted(1, value) : value);
            return true;
        }
        if (countedElement) {
            Bytes element = elementKey.apply(sequence(held));
            byte[] bytes = store.get(element);
            store.put(element, counted(countOf(bytes) + 1, valueOf(bytes)));
        }
        return false;
    }

    /** Counts one row of {@code value} out (counted elements only); deletes both entries with its last row. */
    static void retract(KeyValueStore<Bytes, byte[]> store, byte[] scope, byte[] indexValue,
                        java.util.function.LongFunction<Bytes> elementKey) {
        Bytes index = indexKey(scope, indexValue);
        byte[] held = store.get(index);
        if (held == null) {
            return; // never counted (the in-value map ignores such a retraction too)
        }
        Bytes element = elementKey.apply(sequence(held));
        byte[] bytes = store.get(element);
        long left = bytes == null ? 0 : countOf(bytes) - 1;
        if (left > 0) {
            store.put(element, counted(left, valueOf(bytes)));
        } else {
            store.put(element, null);
            store.put(index, null);
        }
    }
}

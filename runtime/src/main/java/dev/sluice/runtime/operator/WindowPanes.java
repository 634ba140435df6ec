package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;

import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.EmitMode;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * The store of {@link PaneWindowAggregate} (state format 24): the time axis cut into panes of
 * gcd(size, slide), one accumulator per pane and group key, keyed time-major so that the panes of
 * a closing window are one range scan, plus one entry holding the aggregate's stream time.
 *
 * <p>Keys: {@code 'P'} + the pane's end (8 bytes, big-endian; pane ends are positive, as Kafka
 * Streams gives no window to a negative timestamp) + the group key's bytes; {@code 'T'} alone for the
 * stream time, kept so that a restarted task emits, and judges records late, as the one before it.
 * Values: the accumulators in the aggregation's own state format ({@link AggregateStateSerde}).
 */
public final class WindowPanes {
    /** The store layout's state format number (Kafka Streams' window store + suppress buffer before). */
    public static final int STATE_FORMAT = 24;

    static final Bytes STREAM_TIME = Bytes.wrap(new byte[] {'T'});
    private static final byte PANE = 'P';
    /** Key bytes before the group key's: the tag and the pane's end. */
    static final int PREFIX = 1 + Long.BYTES;

    /** Functions whose accumulators this operator keeps; see {@link #exactMerge}. */
    private static final Set<String> MERGING = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX");

    private WindowPanes() {
    }

    /**
     * Whether a GROUP BY runs as {@link PaneWindowAggregate}: a stream's TUMBLE or HOP window over
     * event time in Flink's dialect, EMIT FINAL, every call a plain COUNT, SUM, AVG, MIN or MAX (no
     * DISTINCT, no ORDER BY), whose value is the same whether its rows are added one by one or its
     * panes merged ({@link #exactMerge}). Everything else keeps Kafka Streams' window store and
     * suppress buffer. Build time only; {@code StateResources} asks it too.
     */
    public static boolean applies(AggregateStep step) {
        if (step.kind() != AggregateStep.Kind.WINDOWED || step.emit() != EmitMode.FINAL || step.window().isEmpty()) {
            return false;
        }
        WindowSpec w = step.window().get();
        boolean hop = w.kind() == WindowSpec.Kind.HOP;
        if (w.kind() != WindowSpec.Kind.TUMBLE && !hop || w.ksql() || w.processingTime()
                || w.sizeMs() <= 0 || w.advanceMs() <= 0 || w.advanceMs() > w.sizeMs()) {
            return false;
        }
        if (ConstantSortKeys.dropsAny(step.calls())) {
            return false;
        }
        for (AggregateCall call : step.calls()) {
            String fn = call.function().toUpperCase(java.util.Locale.ROOT);
            if (!MERGING.contains(fn) || call.distinct() || !call.sortDescending().isEmpty()
                    || call.arguments().size() > 1) {
                return false;
            }
            // a tumbling window is one pane: its accumulators see the rows one by one, as before
            if (hop && !call.arguments().isEmpty() && !exactMerge(fn, call.arguments().get(0).type())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a GROUP BY that {@link #applies} may be pre-aggregated ({@link PanePreAggregate}): every
     * call merges exactly, a tumbling window's too (its partials are merged in the pane, where its
     * records were added one by one before).
     */
    public static boolean mergesExactly(AggregateStep step) {
        if (!applies(step)) {
            return false;
        }
        for (AggregateCall call : step.calls()) {
            String fn = call.function().toUpperCase(java.util.Locale.ROOT);
            if (!call.arguments().isEmpty() && !exactMerge(fn, call.arguments().get(0).type())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether merging {@code fn}'s pane accumulators gives exactly what adding the rows one by one
     * gave: counts and integer or DECIMAL sums (a long wraps the same either way, a BigDecimal adds
     * exactly), MIN and MAX of values whose equal ones are identical. DOUBLE sums round differently
     * when grouped differently, and equal doubles (0.0, -0.0) or decimals (1.0, 1.00) can differ.
     */
    private static boolean exactMerge(String fn, SqlType type) {
        if (fn.equals("COUNT")) {
            return true;
        }
        if (type instanceof DecimalType) {
            return !fn.equals("MIN") && !fn.equals("MAX");
        }
        if (!(type instanceof ScalarType scalar)) {
            return false;
        }
        return switch (scalar) {
            case INTEGER, BIGINT -> true;
            case VARCHAR, BOOLEAN, TIMESTAMP, TIMESTAMP_LTZ, DATE, TIME -> fn.equals("MIN") || fn.equals("MAX");
            default -> false;
        };
    }

    /** The store: a changelogged key-value store (of the application's state backend) behind the record cache. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, StateBackend backend) {
        return backend.keyValue(name).withCachingEnabled();
    }

    /** The key of a pane ending at {@code paneEnd} of {@code group}. */
    static Bytes key(long paneEnd, byte[] group) {
        byte[] key = new byte[PREFIX + group.length];
        key[0] = PANE;
        ByteBuffer.wrap(key, 1, Long.BYTES).putLong(paneEnd);
        System.arraycopy(group, 0, key, PREFIX, group.length);
        return Bytes.wrap(key);
    }

    /** The first key of the panes ending at {@code paneEnd} (any group sorts after it). */
    static Bytes first(long paneEnd) {
        return key(paneEnd, new byte[0]);
    }

    static boolean isPane(Bytes key) {
        return key.get().length >= PREFIX && key.get()[0] == PANE;
    }

    static long paneEnd(Bytes key) {
        return ByteBuffer.wrap(key.get(), 1, Long.BYTES).getLong();
    }

    static byte[] group(Bytes key) {
        return Arrays.copyOfRange(key.get(), PREFIX, key.get().length);
    }

    /** The stream time kept in the store, or {@code Long.MIN_VALUE} before any record. */
    static long streamTime(KeyValueStore<Bytes, byte[]> store) {
        byte[] time = store.get(STREAM_TIME);
        return time == null ? Long.MIN_VALUE : ByteBuffer.wrap(time).getLong();
    }

    static void putStreamTime(KeyValueStore<Bytes, byte[]> store, long time) {
        store.put(STREAM_TIME, ByteBuffer.allocate(Long.BYTES).putLong(time).array());
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}

package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.serdes.binary.ValueCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * FIRST/LAST over a changelog: one value cannot be taken back, so every non-NULL candidate is kept
 * (value, event time, ORDER BY keys), in arrival order. The result is chosen as
 * {@link FirstLastFunction}'s accumulator chooses it (earliest or latest; ties to the first arrival
 * for FIRST, the last for LAST), and a retraction removes the latest-arrived equal candidate. The
 * state grows with the group's rows, like the multisets of MIN/MAX over a changelog.
 */
final class FirstLastOverChangelog implements Accumulator {
    private record Candidate(Object value, long timestamp, Object[] keys) {
        boolean sameAs(Object otherValue, long otherTimestamp, Object[] otherKeys) {
            return timestamp == otherTimestamp && Objects.equals(value, otherValue) && Arrays.equals(keys, otherKeys);
        }
    }

    private final FirstLastFunction.Layout layout;
    private final List<Candidate> candidates;

    FirstLastOverChangelog(FirstLastFunction.Layout layout) {
        this(layout, new ArrayList<>());
    }

    private FirstLastOverChangelog(FirstLastFunction.Layout layout, List<Candidate> candidates) {
        this.layout = layout;
        this.candidates = candidates;
    }

    private Object[] keysOf(Object[] arguments) {
        Object[] keys = new Object[layout.keyCount()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = layout.slots().get(arguments, layout.firstKey() + i);
        }
        return keys;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        Object x = layout.slots().get(arguments, 0);
        if (x != null) {
            candidates.add(new Candidate(x, timestamp, keysOf(arguments)));
        }
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    @Override
    public void retract(Object[] arguments, long timestamp) {
        Object x = layout.slots().get(arguments, 0);
        if (x == null) {
            return;
        }
        Object[] keys = keysOf(arguments);
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (candidates.get(i).sameAs(x, timestamp, keys)) {
                candidates.remove(i);
                return;
            }
        }
    }

    @Override
    public void merge(Accumulator other) {
        candidates.addAll(((FirstLastOverChangelog) other).candidates);
    }

    @Override
    public Object result() {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (best == null) {
                best = c;
                continue;
            }
            int order = layout.keyOrder() == null ? Long.compare(c.timestamp(), best.timestamp())
                    : layout.keyOrder().compare(c.keys(), best.keys());
            if (layout.last() ? order >= 0 : order < 0) {
                best = c;
            }
        }
        return best == null ? null : best.value();
    }

    @Override
    public void write(DataOutput out) throws IOException {
        StateIo.writeVarLong(out, candidates.size());
        for (Candidate c : candidates) {
            ValueCodec.write(out, layout.types().get(0), c.value());
            out.writeLong(c.timestamp());
            for (int i = 0; i < c.keys().length; i++) {
                ValueCodec.write(out, layout.types().get(layout.firstKey() + i), c.keys()[i]);
            }
        }
    }

    static FirstLastOverChangelog read(FirstLastFunction.Layout layout, DataInput in) throws IOException {
        long n = StateIo.readVarLong(in);
        List<Candidate> candidates = new ArrayList<>();
        for (long j = 0; j < n; j++) {
            Object value = ValueCodec.read(in, layout.types().get(0));
            long timestamp = in.readLong();
            Object[] keys = new Object[layout.keyCount()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ValueCodec.read(in, layout.types().get(layout.firstKey() + i));
            }
            candidates.add(new Candidate(value, timestamp, keys));
        }
        return new FirstLastOverChangelog(layout, candidates);
    }
}

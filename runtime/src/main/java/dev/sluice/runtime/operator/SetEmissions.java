package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table GROUP BY's COLLECT_SET and HISTOGRAM values as its result processor last emitted them,
 * per (group, call), so that the next row of the group is made from memory instead of a range scan
 * and a decode of every value in {@link TableElements}' store. Unlike an append-only list
 * ({@link ListPrefixes}) a set loses values: the aggregate processor, which counts each change into
 * the store, applies the same change here ({@link #added}, {@link #retracted}), in the same task
 * and thread, right before the result processor reads it (the aggregate forwards each state at once).
 * A held set is therefore always the store's, in the same first-seen order (a value whose last row
 * left is forgotten; back, it is listed last).
 *
 * <p>Least recently used first out, bounded by the values held. One per task, opened afresh by the
 * aggregate processor's {@code init} ({@link PerTask#open}): a task re-initialized after an aborted
 * transaction, or assigned again after it moved away, starts empty and reads the store anew.
 */
public final class SetEmissions {
    private record Key(Bytes group, int call) {
    }

    /** A held value and the rows that carry it. */
    private static final class Held {
        final Object value;
        long rows;

        Held(Object value, long rows) {
            this.value = value;
            this.rows = rows;
        }
    }

    private final long maxValues;
    /** Per (group, call): index bytes → value, in first-seen order. */
    private final LinkedHashMap<Key, LinkedHashMap<Bytes, Held>> sets = new LinkedHashMap<>(16, 0.75f, true);
    private long held;

    SetEmissions(long maxValues) {
        this.maxValues = maxValues;
    }

    /** Whether the call's set of the group is held (a row made from it needs no read). */
    boolean holds(byte[] group, int call) {
        return sets.containsKey(new Key(Bytes.wrap(group), call));
    }

    /**
     * The call's result from the held set, or null when none is held: COLLECT_SET the values, NULL
     * when none; HISTOGRAM value → rows ({@code distinct}: 1 each).
     */
    Object result(byte[] group, int call, ValueSets.Kind kind, boolean distinct) {
        LinkedHashMap<Bytes, Held> set = sets.get(new Key(Bytes.wrap(group), call));
        if (set == null) {
            return null;
        }
        if (kind == ValueSets.Kind.SET) {
            List<Object> values = new ArrayList<>(set.size());
            for (Held h : set.values()) {
                values.add(h.value);
            }
            return values.isEmpty() ? null : Collections.unmodifiableList(values);
        }
        Map<Object, Long> histogram = new LinkedHashMap<>();
        for (Held h : set.values()) {
            histogram.put(h.value, distinct ? 1L : h.rows);
        }
        return Collections.unmodifiableMap(histogram);
    }

    /** Starts holding the call's set of the group as read from the store, in its order. */
    void hold(byte[] group, int call, List<byte[]> indexBytes, List<Object> values, List<Long> rows) {
        Key key = new Key(Bytes.wrap(group), call);
        drop(key);
        if (values.size() > maxValues) {
            return;
        }
        LinkedHashMap<Bytes, Held> set = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            set.put(Bytes.wrap(indexBytes.get(i)), new Held(values.get(i), rows.get(i)));
        }
        sets.put(key, set);
        held += set.size();
        Iterator<Map.Entry<Key, LinkedHashMap<Bytes, Held>>> eldest = sets.entrySet().iterator();
        while (held > maxValues && eldest.hasNext()) {
            held -= eldest.next().getValue().size();
            eldest.remove();
        }
    }

    /** A row of {@code value} joined the group's call in the store: counted, or listed last if new. */
    void added(byte[] group, int call, byte[] indexBytes, Object value) {
        LinkedHashMap<Bytes, Held> set = sets.get(new Key(Bytes.wrap(group), call));
        if (set == null) {
            return;
        }
        Held h = set.get(Bytes.wrap(indexBytes));
        if (h != null) {
            h.rows++;
        } else {
            set.put(Bytes.wrap(indexBytes), new Held(value, 1));
            held++;
        }
    }

    /** A row of the value left: counted out, forgotten with its last row (as the store deletes it). */
    void retracted(byte[] group, int call, byte[] indexBytes) {
        LinkedHashMap<Bytes, Held> set = sets.get(new Key(Bytes.wrap(group), call));
        Held h = set == null ? null : set.get(Bytes.wrap(indexBytes));
        if (h != null && --h.rows == 0) {
            set.remove(Bytes.wrap(indexBytes));
            held--;
        }
    }

    /** The group is gone: its sets are not held any more. */
    void forget(byte[] group, int calls) {
        for (int c = 0; c < calls; c++) {
            drop(new Key(Bytes.wrap(group), c));
        }
    }

    private void drop(Key key) {
        LinkedHashMap<Bytes, Held> old = sets.remove(key);
        held -= old == null ? 0 : old.size();
    }

    /**
     * One step's caches, one per task: the aggregate processor opens its task's at {@code init}
     * (replacing any earlier one), the result processor finds it by task when it makes a row.
     */
    public static final class PerTask {
        private final Map<TaskId, SetEmissions> tasks = new ConcurrentHashMap<>();
        private final long maxValues;

        /** {@code maxValues}: how many values each task holds at most. */
        public PerTask(long maxValues) {
            this.maxValues = maxValues;
        }

        SetEmissions open(TaskId task) {
            SetEmissions fresh = new SetEmissions(maxValues);
            tasks.put(task, fresh);
            return fresh;
        }

        /** The task's cache, or null when its aggregate processor has not opened one. */
        SetEmissions of(TaskId task) {
            return tasks.get(task);
        }

        void close(TaskId task, SetEmissions emissions) {
            tasks.remove(task, emissions);
        }
    }
}

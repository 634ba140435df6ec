package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays a GROUP BY without window last emitted, per (group, call), so that the next row of
 * the group reads only the elements that arrived since from {@link ListElements}' store instead of
 * range-scanning all of them again: a group's elements are append-only (nothing is deleted), so a
 * list read once stays a prefix of every later one. Least recently used first out, bounded by the
 * elements held (references to decoded values); one per result processor instance, so a task
 * re-initialized after an aborted transaction starts empty and reads the rolled-back store afresh.
 * The lists held are never changed (each row gets a new one).
 */
final class ListPrefixes {
    private record Key(Bytes group, int call) {
    }

    private final long maxElements;
    private final LinkedHashMap<Key, List<Object>> lists = new LinkedHashMap<>(16, 0.75f, true);
    private long held;

    ListPrefixes(long maxElements) {
        this.maxElements = maxElements;
    }

    /** The elements last read for the call of the group, or null. */
    List<Object> get(byte[] group, int call) {
        return lists.get(new Key(Bytes.wrap(group), call));
    }

    /** Keeps {@code elements} (not to be changed after) as the call's latest list of the group. */
    void put(byte[] group, int call, List<Object> elements) {
        Key key = new Key(Bytes.wrap(group), call);
        List<Object> old = lists.remove(key);
        held -= old == null ? 0 : old.size();
        if (elements.size() > maxElements) {
            return;
        }
        lists.put(key, elements);
        held += elements.size();
        Iterator<Map.Entry<Key, List<Object>>> eldest = lists.entrySet().iterator();
        while (held > maxElements && eldest.hasNext()) {
            held -= eldest.next().getValue().size();
            eldest.remove();
        }
    }
}

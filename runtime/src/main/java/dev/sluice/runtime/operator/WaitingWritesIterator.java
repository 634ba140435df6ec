package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A key range read through {@link CommitBatchedKeyValueStore}: the store's entries of the range
 * merged, in the store's byte order (ascending, or descending for a reverse range), with the
 * writes of that range that wait for the commit. A waiting write replaces the stored entry of its
 * key; a waiting deletion (a null value) hides it and is not handed out. So the range reads as the
 * store would read after the commit.
 */
final class WaitingWritesIterator implements KeyValueIterator<Bytes, byte[]> {
    private final KeyValueIterator<Bytes, byte[]> stored;
    private final Iterator<KeyValue<Bytes, byte[]>> writes;
    /** 1 ascending, -1 descending: a key comes before another when its comparison times this is below 0. */
    private final int direction;
    private KeyValue<Bytes, byte[]> nextStored;
    private KeyValue<Bytes, byte[]> nextWrite;
    /** The entry {@link #next} hands out, once looked for; null at the end. */
    private KeyValue<Bytes, byte[]> next;
    private boolean lookedFor;

    /** {@code writes}: the waiting writes of {@code stored}'s range, in its order. */
    WaitingWritesIterator(KeyValueIterator<Bytes, byte[]> stored, List<KeyValue<Bytes, byte[]>> writes,
                          boolean ascending) {
        this.stored = stored;
        this.writes = writes.iterator();
        this.direction = ascending ? 1 : -1;
        this.nextStored = stored.hasNext() ? stored.next() : null;
        this.nextWrite = this.writes.hasNext() ? this.writes.next() : null;
    }

    @Override
    public boolean hasNext() {
        if (!lookedFor) {
            next = advance();
            lookedFor = true;
        }
        return next != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        lookedFor = false;
        return next;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    @Override
    public void close() {
        stored.close();
    }

    /** The next entry of the merge, null at the end. */
    private KeyValue<Bytes, byte[]> advance() {
        while (nextWrite != null) {
            int order = nextStored == null ? 1 : direction * nextStored.key.compareTo(nextWrite.key);
            if (order < 0) {
                return takeStored();
            }
            if (order == 0) {
                takeStored(); // the waiting write replaces it
            }
            KeyValue<Bytes, byte[]> write = nextWrite;
            nextWrite = writes.hasNext() ? writes.next() : null;
            if (write.value != null) {
                return write;
            } // a waiting deletion: neither it nor the stored entry is read
        }
        return nextStored == null ? null : takeStored();
    }

    private KeyValue<Bytes, byte[]> takeStored() {
        KeyValue<Bytes, byte[]> taken = nextStored;
        nextStored = stored.hasNext() ? stored.next() : null;
        return taken;
    }
}

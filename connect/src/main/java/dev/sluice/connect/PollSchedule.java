package dev.sluice.connect;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;

import java.util.Map;

/**
 * The bookkeeping a polling source task shares: when its next poll is due, and the last value of
 * its incremental column or field, which is its Connect offset ({@code {"last": value}}) under one
 * source partition. The task decides when to schedule the next poll (before the query, so a failure
 * waits the interval, or after it, so a full page polls again at once).
 */
public final class PollSchedule {
    /** A task sleeps at most this long in one {@code poll()}, so that Connect can stop it promptly. */
    private static final long LONGEST_SLEEP_MS = 500;

    private final Map<String, String> partition;
    private final long intervalMs;
    private final Map<String, Object> restored;
    private String last;
    private long nextPoll;

    /** Resumes from the offset Connect stored for {@code partition}, if any; the first poll is due at once. */
    public PollSchedule(SourceTaskContext context, Map<String, String> partition, long intervalMs) {
        this.partition = Map.copyOf(partition);
        this.intervalMs = intervalMs;
        Map<String, Object> offset = context.offsetStorageReader().offset(this.partition);
        this.restored = offset == null ? Map.of() : new java.util.HashMap<>(offset);
        this.last = offset == null ? null : (String) offset.get("last");
        this.nextPoll = 0;
    }

    /**
     * Whether a poll is due; when it is not, sleeps towards it (at most {@value #LONGEST_SLEEP_MS} ms)
     * and says no, so the task returns {@code null} to Connect.
     */
    public boolean awaitDue() throws InterruptedException {
        long wait = nextPoll - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(Math.min(wait, LONGEST_SLEEP_MS));
            return false;
        }
        return true;
    }

    /** The next poll is due one interval from now. */
    public void nextAfterInterval() {
        nextPoll = System.currentTimeMillis() + intervalMs;
    }

    /** The next poll is due at once (more rows are waiting). */
    public void nextAtOnce() {
        nextPoll = 0;
    }

    /** A field of the offset this task resumed from (null when absent or on a first run). */
    public Object restored(String field) {
        return restored.get(field);
    }

    /** The last value read, or null before the first one. */
    public String last() {
        return last;
    }

    /** Records the value just read; a null value (the row has none) keeps the previous one. */
    public void advance(String value) {
        if (value != null) {
            last = value;
        }
    }

    /** The offset of a record written now: the last value, or none before the first one. */
    public Map<String, ?> offset() {
        return last == null ? Map.of() : Map.of("last", last);
    }

    public Map<String, String> partition() {
        return partition;
    }

    /** A schemaless record of {@code value} to {@code topic}, at this partition and {@code offset}. */
    public SourceRecord record(Map<String, ?> offset, String topic, Object value) {
        return new SourceRecord(partition, offset, topic, null, null, null, value);
    }

    /** A schemaless record of {@code value} to {@code topic}, at the current {@link #offset()}. */
    public SourceRecord record(String topic, Object value) {
        return record(offset(), topic, value);
    }
}

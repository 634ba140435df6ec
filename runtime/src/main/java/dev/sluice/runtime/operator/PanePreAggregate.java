package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local pre-aggregation before a {@link PaneWindowAggregate}'s repartition topic (Flink's
 * local-global aggregation): in the task that reads the input, each record is merged on the heap
 * into a partial per (group key, pane), and the partials, not the records, cross the topic; the
 * aggregate merges a partial into its pane as it added a record. Only for calls whose accumulators
 * merge exactly ({@link WindowPanes#mergesExactly}).
 *
 * <p>Exactly-once: the partials are forwarded when {@link PanePartials} is flushed, inside each
 * commit before the offsets of their records are taken, and when the heap holds more than
 * {@code maxPartials} of them; a task that throws its uncommitted work away drops them (its records
 * are read again). The processor's stream time is kept in the processor metadata Kafka Streams
 * commits with the offsets, so a restarted task judges records as the old one did.
 *
 * <p>Event time is unchanged, with one upstream partition exactly: the aggregate emits the same rows
 * in the same order, and drops and counts the same records as late. Why:
 * <ul>
 *   <li>a record joins a partial only when every window holding its pane is still open at this
 *       task's stream time (its earliest window end &gt; stream time - grace). The aggregate's
 *       stream time is never ahead of this task's (it has seen only what this task forwarded), so
 *       such a record is in no closed window and is no late record there, and it lands in every
 *       window holding its pane, as added alone;</li>
 *   <li>any other record (one some window of its pane already closed for, late or not; no key, a
 *       negative time) first forwards every partial held, then goes alone: the aggregate then has
 *       seen every earlier record, so its stream time is what it was when the record came alone,
 *       and it treats the record as before (late guard, counters, dead letter);</li>
 *   <li>a flush forwards in timestamp order, a partial stamped with its latest record's time, so
 *       that the aggregate's stream time reaches a partial's time only at that partial or later
 *       ones: at partial P it is at most the larger of P's time and this task's stream time when
 *       P's first record came, and every window of P's pane was open at both (first bullet), so
 *       no window P belongs to closes before P is merged into it;</li>
 *   <li>the aggregate emits each window once, in the order of (end, key bytes) however its stream
 *       time advances, and with the same content by the bullets above: the same rows in the same
 *       order once the same stream time is reached.</li>
 * </ul>
 * With several upstream partitions the aggregate's stream time may run ahead of this task's; a
 * record late there reaches it inside a partial, which the late guard drops (and counts, and
 * dead-letters) as one record.
 */
public final class PanePreAggregate implements Processor<Row, Row, Row, Row>, PanePartials.Holder {
    /** Partials held before the heap bound forces a flush. */
    public static final int MAX_PARTIALS = 10_000;

    private final String storeName;
    private final Aggregation aggregation;
    private final long size;
    private final long slide;
    private final long pane;
    private final long grace;
    private final int maxPartials;
    private final String metadataKey;
    private final Map<PaneKey, Partial> partials = new LinkedHashMap<>();
    private ProcessorContext<Row, Row> context;
    /** The task's own context (null in a test's mock), to forward at a commit as the cache does. */
    private InternalProcessorContext<Row, Row> internal;
    private ProcessorNode<?, ?, ?, ?> node;
    private boolean loaded;
    private long streamTime;
    private long savedStreamTime;

    public PanePreAggregate(String storeName, Aggregation aggregation, WindowSpec window, int maxPartials) {
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.size = window.sizeMs();
        this.slide = window.advanceMs();
        this.pane = WindowPanes.gcd(size, slide);
        this.grace = window.graceMs();
        this.maxPartials = maxPartials;
        this.metadataKey = storeName + "-stream-time";
    }

    private record PaneKey(Row group, long paneEnd) {
    }

    /** One group's accumulators in one pane, stamped with its latest record's time and context. */
    private static final class Partial {
        final Row key;
        AggregateState state;
        long timestamp = Long.MIN_VALUE;
        ProcessorRecordContext recordContext;
        Headers headers;

        Partial(Row key, AggregateState state) {
            this.key = key;
            this.state = state;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<Row, Row> context) {
        this.context = context;
        if (context instanceof InternalProcessorContext<?, ?> task) {
            internal = (InternalProcessorContext<Row, Row>) task;
            node = internal.currentNode();
        }
        PanePartials store = context.getStateStore(storeName);
        store.holdFor(this);
        // init runs again on the same instance when a task is revived: what it held was not committed
        partials.clear();
        loaded = false;
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (!loaded) {
            Long kept = internal == null ? null : internal.processorMetadataForKey(metadataKey);
            streamTime = kept == null ? Long.MIN_VALUE : kept;
            savedStreamTime = streamTime;
            loaded = true;
        }
        long ts = record.timestamp();
        streamTime = Math.max(streamTime, ts);
        Row value = record.value();
        if (record.key() == null || value == null || value == EndOfTime.MARKER || ts < 0
                || earliestWindowEnd(ts) <= streamTime - grace) {
            forwardAll();
            Partial alone = new Partial(record.key(), value == null ? null : add(aggregation.initial(), value));
            stamp(alone, record);
            forward(alone);
            return;
        }
        PaneKey key = new PaneKey(record.key(), Math.floorDiv(ts, pane) * pane + pane);
        Partial partial = partials.get(key);
        if (partial == null) {
            partial = new Partial(record.key(), aggregation.initial());
            partials.put(key, partial);
        }
        partial.state = add(partial.state, value);
        if (ts >= partial.timestamp) {
            stamp(partial, record);
        }
        if (partials.size() > maxPartials) {
            forwardAll();
        }
    }

    private AggregateState add(AggregateState state, Row value) {
        return aggregation.addInPlace(value, state);
    }

    private void stamp(Partial partial, Record<Row, Row> record) {
        partial.timestamp = record.timestamp();
        partial.headers = record.headers();
        partial.recordContext = internal == null ? null : internal.recordContext();
    }

    /** The end of the first window holding {@code ts}: windows start at multiples of the slide from 0. */
    private long earliestWindowEnd(long ts) {
        return Math.max(0, Math.floorDiv(ts - size, slide) + 1) * slide + size;
    }

    @Override
    public void forwardAll() {
        if (!partials.isEmpty()) {
            List<Partial> ordered = new ArrayList<>(partials.values());
            partials.clear();
            // stable: partials of equal time keep the order of their first records
            ordered.sort(Comparator.comparingLong(p -> p.timestamp));
            for (Partial p : ordered) {
                forward(p);
            }
        }
        if (internal != null && loaded && streamTime != savedStreamTime) {
            internal.addProcessorMetadataKeyValue(metadataKey, streamTime);
            savedStreamTime = streamTime;
        }
    }

    @Override
    public void discardAll() {
        partials.clear();
        loaded = false;
    }

    /**
     * Forwards as its latest record would have been: at a commit no record is being processed, so
     * the task's current node and record context are this processor's and that record's for the
     * call, as the record cache's flush listener does, and put back after.
     */
    private void forward(Partial p) {
        Record<Row, Row> out = new Record<>(p.key, p.state == null ? null : PanePartial.of(p.state), p.timestamp,
                p.headers);
        if (internal == null) {
            context.forward(out);
            return;
        }
        ProcessorNode<?, ?, ?, ?> currentNode = internal.currentNode();
        ProcessorRecordContext currentRecord = internal.recordContext();
        internal.setCurrentNode(node);
        internal.setRecordContext(p.recordContext);
        try {
            context.forward(out);
        } finally {
            internal.setCurrentNode(currentNode);
            internal.setRecordContext(currentRecord);
        }
    }
}

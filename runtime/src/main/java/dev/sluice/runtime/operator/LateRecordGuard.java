package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.time.Instant;

/**
 * Stops records that arrive after all their time windows closed, just before the window
 * aggregate, with the aggregate's own rule: a window [start, end) is closed once
 * {@code end <= observedStreamTime - grace}, where observed stream time is the largest timestamp
 * this task's aggregate has seen. Kafka Streams would drop such a record silently inside the
 * aggregate; failing it here routes it through the processing exception handler instead (log,
 * metric, dead-letter topic). Results are unchanged: the aggregate would have ignored it.
 */
public final class LateRecordGuard implements FixedKeyProcessor<Row, Row, Row> {
    private final WindowSpec window;
    private FixedKeyProcessorContext<Row, Row> context;
    private long observedStreamTime = Long.MIN_VALUE;

    public LateRecordGuard(WindowSpec window) {
        this.window = window;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        long ts = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, ts);
        // the last window holding ts: for CUMULATE the period's largest window, else the latest hop
        long lastWindowEnd = window.kind() == WindowSpec.Kind.CUMULATE
                ? Math.floorDiv(ts, window.sizeMs()) * window.sizeMs() + window.sizeMs()
                : Math.floorDiv(ts, window.advanceMs()) * window.advanceMs() + window.sizeMs();
        if (record.value() != EndOfTime.MARKER && lastWindowEnd <= observedStreamTime - window.graceMs()) {
            throw new LateRecordException("late record at " + Instant.ofEpochMilli(ts) + ": its last window closed at "
                    + Instant.ofEpochMilli(lastWindowEnd + window.graceMs()) + " (grace " + window.graceMs()
                    + " ms) and stream time is " + Instant.ofEpochMilli(observedStreamTime));
        }
        context.forward(record);
    }
}

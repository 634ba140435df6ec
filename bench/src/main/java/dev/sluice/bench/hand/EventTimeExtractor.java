package dev.sluice.bench.hand;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time from the {@code event_time} field of a {@link FeedbackEvent} (or a {@link PerformanceMetric}). */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object v = record.value();
        if (v instanceof FeedbackEvent e && e.event_time != null) {
            return Json.parseTime(e.event_time);
        }
        if (v instanceof PerformanceMetric m && m.ts != null) {
            return Json.parseTime(m.ts);
        }
        return record.timestamp();
    }
}

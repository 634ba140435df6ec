package dev.sluice.runtime.build;

import dev.sluice.runtime.metrics.SluiceMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad records never stop a pipeline and are never silently lost: Kafka Streams' log-and-continue
 * handlers log them with topic/partition/offset and, when {@code errors.dead.letter.queue.topic.name}
 * is set, write them to the dead-letter topic with the exception in headers (KIP-1034). These
 * subclasses add Sluice's counters and one readable log line per record; the CLI's log
 * configuration keeps Kafka's own multi-line stack trace for these at DEBUG.
 */
public final class SluiceExceptionHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceExceptionHandlers.class);

    private SluiceExceptionHandlers() {
    }

    public static final class Deserialization extends LogAndContinueExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                    Exception exception) {
            SluiceMetrics.global().increment("sluice_deserialization_errors_total", Map.of("topic", record.topic()));
            LOG.warn("skipped a record that cannot be read: {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), exception.getMessage());
            return super.handleError(context, record, exception);
        }
    }

    public static final class Processing extends LogAndContinueProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (exception instanceof LateRecordException) {
                SluiceMetrics.global().increment("sluice_late_records_dropped_total",
                        Map.of("processor", context.processorNodeId()));
                LOG.warn("dropped a late record in {}: {}-{}@{}: {}", context.processorNodeId(), context.topic(),
                        context.partition(), context.offset(), exception.getMessage());
            } else {
                SluiceMetrics.global().increment("sluice_processing_errors_total",
                        Map.of("processor", context.processorNodeId()));
                LOG.warn("skipped a record that failed in {}: {}-{}@{}: {}", context.processorNodeId(),
                        context.topic(), context.partition(), context.offset(), exception.getMessage());
            }
            return super.handleError(context, record, exception);
        }
    }
}

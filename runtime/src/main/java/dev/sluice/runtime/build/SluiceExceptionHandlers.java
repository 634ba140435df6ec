package dev.sluice.runtime.build;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecords;
import dev.sluice.runtime.errors.StepFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad records never stop a pipeline and are never silently lost: Kafka Streams' log-and-continue
 * handlers write them, when {@code errors.dead.letter.queue.topic.name} is set, to the dead-letter
 * topic with the exception in headers (KIP-1034). These subclasses account for each one through
 * {@link DroppedRecords}: one counter with its reason, one readable log line with
 * topic-partition@offset, and the {@code sluice.*} headers on its dead-letter record. The CLI's
 * log configuration keeps Kafka's own multi-line stack trace for these at DEBUG.
 */
public final class SluiceExceptionHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceExceptionHandlers.class);

    private SluiceExceptionHandlers() {
    }

    /** The drop a deserialization failure stands for: the source node, the raw record's position. */
    public static DroppedRecords.Drop drop(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                           Exception exception) {
        return new DroppedRecords.Drop(DropReason.BAD_BYTES, context.processorNodeId(), record.topic(),
                record.partition(), record.offset(), record.timestamp(), exception.getMessage());
    }

    /** The drop a processing failure stands for, with the reason read from the exception. */
    public static DroppedRecords.Drop drop(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // a step of a fused chain fails under the processor name it has on its own
        String processor = exception instanceof StepFailedException s ? s.processor() : context.processorNodeId();
        Exception failure = unwrapped(exception);
        return new DroppedRecords.Drop(DropReason.of(failure), processor, context.topic(),
                context.partition(), context.offset(), record.timestamp(), failure.getMessage());
    }

    /** What a step of a fused chain threw, as its own processor would have thrown it. */
    static Exception unwrapped(Exception exception) {
        return exception instanceof StepFailedException s ? s.failure() : exception;
    }

    public static final class Deserialization extends LogAndContinueExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                    Exception exception) {
            DroppedRecords.Drop drop = drop(context, record, exception);
            LOG.warn(DroppedRecords.count(drop));
            Response response = super.handleError(context, record, exception);
            DroppedRecords.addHeaders(response.deadLetterQueueRecords(), drop);
            return response;
        }
    }

    public static final class Processing extends LogAndContinueProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            DroppedRecords.Drop drop = drop(context, record, exception);
            LOG.warn(DroppedRecords.count(drop));
            // Kafka Streams' own dead-letter headers name the failing step's exception, fused or not
            Response response = super.handleError(context, record, unwrapped(exception));
            DroppedRecords.addHeaders(response.deadLetterQueueRecords(), drop);
            return response;
        }
    }
}

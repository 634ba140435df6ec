package dev.sluice.compiler;

import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Handlers for {@code on_error = 'fail'} (see {@link ErrorPolicy}): the first record that cannot be
 * read or processed stops the application, after one log line that names the record and the reason.
 * Records dropped on purpose are the exception: dropping a late record or a NULL join key is how
 * windows and joins work, not an error, so they are still dropped and counted as under the
 * default handlers.
 */
public final class FailFastHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(FailFastHandlers.class);

    private FailFastHandlers() {
    }

    public static final class Deserialization extends LogAndFailExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                    Exception exception) {
            DroppedRecords.Drop drop = SluiceExceptionHandlers.drop(context, record, exception);
            LOG.error("stopping (on_error = 'fail'): " + DroppedRecords.count(drop));
            Response response = super.handleError(context, record, exception);
            DroppedRecords.addHeaders(response.deadLetterQueueRecords(), drop);
            return response;
        }
    }

    public static final class Processing extends LogAndFailProcessingExceptionHandler {
        private final SluiceExceptionHandlers.Processing dropsByDesign = new SluiceExceptionHandlers.Processing();

        @Override
        public void configure(Map<String, ?> configs) {
            super.configure(configs);
            dropsByDesign.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            DropReason reason = DropReason.of(exception);
            if (reason == DropReason.LATE || reason == DropReason.NULL_KEY || reason == DropReason.NULL_VALUE) {
                return dropsByDesign.handleError(context, record, exception);
            }
            DroppedRecords.Drop drop = SluiceExceptionHandlers.drop(context, record, exception);
            LOG.error("stopping (on_error = 'fail'): " + DroppedRecords.count(drop));
            Response response = super.handleError(context, record, exception);
            DroppedRecords.addHeaders(response.deadLetterQueueRecords(), drop);
            return response;
        }
    }
}

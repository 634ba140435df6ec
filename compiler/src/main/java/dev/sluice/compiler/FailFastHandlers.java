package dev.sluice.compiler;

import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.metrics.SluiceMetrics;
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
 * Late records are the exception: dropping them is how windows work, not an error, so they are still
 * dropped and counted as under the default handlers.
 */
public final class FailFastHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(FailFastHandlers.class);

    private FailFastHandlers() {
    }

    public static final class Deserialization extends LogAndFailExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                    Exception exception) {
            SluiceMetrics.global().increment("sluice_deserialization_errors_total", Map.of("topic", record.topic()));
            LOG.error("stopping (on_error = 'fail'): a record cannot be read: {}-{}@{}: {}", record.topic(),
                    record.partition(), record.offset(), exception.getMessage());
            return super.handleError(context, record, exception);
        }
    }

    public static final class Processing extends LogAndFailProcessingExceptionHandler {
        private final SluiceExceptionHandlers.Processing lateRecords = new SluiceExceptionHandlers.Processing();

        @Override
        public void configure(Map<String, ?> configs) {
            super.configure(configs);
            lateRecords.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (exception instanceof LateRecordException) {
                return lateRecords.handleError(context, record, exception);
            }
            SluiceMetrics.global().increment("sluice_processing_errors_total",
                    Map.of("processor", context.processorNodeId()));
            LOG.error("stopping (on_error = 'fail'): a record failed in {}: {}-{}@{}: {}", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception.getMessage());
            return super.handleError(context, record, exception);
        }
    }
}

package dev.sluice.runtime.build;

import dev.sluice.runtime.metrics.SluiceMetrics;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * Event time from the source's ROWTIME column. A record without one (NULL, or not a row at all
 * because it failed to deserialize) keeps the Kafka record timestamp, so it still reaches the
 * exception handlers and is counted rather than vanishing.
 */
public final class RowtimeExtractor implements TimestampExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(RowtimeExtractor.class);
    private final int column;
    private final String source;
    /** The source row of a record from its deserialized key and value (by default: the value). */
    private final BiFunction<Object, Object, Object> row;
    /** ksqlDB's 'timestamp_format' for a VARCHAR time column, else null. */
    private final String textFormat;
    /** Whether text that does not match {@link #textFormat} stops the application (see {@link #THROW_ON_INVALID}). */
    private final boolean throwOnInvalid;

    /**
     * A source option the compiler sets from ksqlDB's {@code ksql.timestamp.throw.on.invalid = true}:
     * the user asked that a time text the source's 'timestamp_format' cannot read stop the query
     * (Kafka Streams' "Fatal user code error in TimestampExtractor callback") instead of being
     * dropped the accounted way, which stays the default.
     */
    public static final String THROW_ON_INVALID = "sluice.timestamp_throw_on_invalid";

    public RowtimeExtractor(int column, String source) {
        this(column, source, (key, value) -> value);
    }

    public RowtimeExtractor(int column, String source, BiFunction<Object, Object, Object> row) {
        this(column, source, row, null, false);
    }

    private RowtimeExtractor(int column, String source, BiFunction<Object, Object, Object> row, String textFormat,
                             boolean throwOnInvalid) {
        this.column = column;
        this.source = source;
        this.row = row;
        this.textFormat = textFormat;
        this.throwOnInvalid = throwOnInvalid;
    }

    /** The same extractor reading a VARCHAR column with {@code pattern} (null: none). */
    public RowtimeExtractor withTextFormat(String pattern) {
        return new RowtimeExtractor(column, source, row, pattern, throwOnInvalid);
    }

    /** The same extractor reading the source's 'timestamp_format' and {@link #THROW_ON_INVALID} option. */
    public RowtimeExtractor withTextFormat(java.util.Map<String, String> sourceOptions) {
        return new RowtimeExtractor(column, source, row, sourceOptions.get("timestamp_format"),
                Boolean.parseBoolean(sourceOptions.getOrDefault(THROW_ON_INVALID, "false")));
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = row.apply(record.key(), record.value());
        if (value instanceof Row r && r.get(column) instanceof Long ts) {
            return ts;
        }
        if (textFormat != null && value instanceof Row r && r.get(column) instanceof String text) {
            try {
                return dev.sluice.runtime.function.scalar.TimestampText.parse(text, textFormat);
            } catch (RuntimeException e) {
                if (throwOnInvalid) {
                    throw new IllegalArgumentException(source + ": event time '" + text + "' does not match '"
                            + textFormat + "'", e);
                }
                // ksqlDB skips a record whose text does not match; here it goes on with its Kafka
                // timestamp to the source's TimestampTextCheck, which drops it the accounted way
                // (counted, logged, dead-lettered), as Kafka Streams' own skip would not
                return record.timestamp();
            }
        }
        if (value instanceof Row) {
            SluiceMetrics.global().increment("sluice_null_rowtime_total", Map.of("source", source));
            LOG.warn("NULL event time in {} at {}-{}@{}; using the record timestamp {}", source,
                    record.topic(), record.partition(), record.offset(), record.timestamp());
        }
        return record.timestamp();
    }
}

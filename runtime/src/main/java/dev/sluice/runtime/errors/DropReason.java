package dev.sluice.runtime.errors;

import dev.sluice.runtime.expr.ExpressionEvaluationException;

import java.util.Locale;

/**
 * Why a record did not make it to the output. One value per kind of drop, used as the
 * {@code reason} label of {@code sluice_dropped_records_total} and as the {@code sluice.reason}
 * header of its dead-letter record (docs/errors.md).
 */
public enum DropReason {
    /** Behind the watermark: every window it belongs to (or the join window, or LAG/LEAD's sort) has closed. */
    LATE,
    /** A NULL join key on an inner join side: it can match nothing (Flink drops it silently). */
    NULL_KEY,
    /** A record without a value (a tombstone) on a stream that needs one. */
    NULL_VALUE,
    /** A source's CHECK constraint is FALSE. */
    CHECK_VIOLATION,
    /**
     * ksqlDB's {@code TIMESTAMP} column gives the record no time: source text that does not match its
     * {@code TIMESTAMP_FORMAT}, or a sink row whose time column is NULL, negative or unreadable.
     */
    NO_TIME,
    /** The bytes cannot be read in the source's format. */
    BAD_BYTES,
    /** An expression cannot be computed for this row (division by zero, a bad CAST, a built-in function's error). */
    EXPRESSION_ERROR,
    /** A user-defined function threw. */
    UDF_ERROR,
    /** Any other failure while processing the record. */
    PROCESSING_ERROR;

    /** The label value: {@code late}, {@code null_key}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason a processing failure stands for: the most specific one found along its causes. */
    public static DropReason of(Throwable failure) {
        DropReason found = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DroppedRecordException d) {
                return d.reason();
            }
            if (t instanceof UdfFailedException) {
                return UDF_ERROR;
            }
            if (t instanceof ExpressionEvaluationException && found == null) {
                found = EXPRESSION_ERROR;
            }
        }
        return found != null ? found : PROCESSING_ERROR;
    }
}

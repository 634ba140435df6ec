package dev.sluice.runtime.errors;

import dev.sluice.runtime.metrics.SluiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Errors that are counted and logged but keep the row, ksqlDB's processing log: in ksqlDB's dialect
 * a built-in function or operator that fails (PARSE_DATE of text that is no date, an integer
 * division by zero) is NULL for that row and the row goes on, where Flink's dialect dead-letters the record
 * ({@link DroppedRecords}). Counted in {@value #METRIC}{@code {reason="expression_error"}}, logged
 * on one WARN line each.
 */
public final class ProcessingErrors {
    public static final String METRIC = "sluice_processing_errors_total";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingErrors.class);
    private static final Map<String, String> EXPRESSION = Map.of("reason", DropReason.EXPRESSION_ERROR.label());
    private static final Map<String, String> UDF = Map.of("reason", DropReason.UDF_ERROR.label());

    private ProcessingErrors() {
    }

    /** Counts and logs a call of {@code function} that failed for one row and is NULL there instead. */
    public static void expressionNulled(String function, RuntimeException failure) {
        SluiceMetrics.global().increment(METRIC, EXPRESSION);
        LOG.warn("processing error, the row is kept with {} NULL (ksqlDB's processing log): {}", function,
                failure.getMessage() != null ? failure.getMessage() : failure.toString());
    }

    /** Counts and logs a user-defined function's call that failed for one row and is NULL there instead. */
    public static void udfNulled(String function, RuntimeException failure) {
        SluiceMetrics.global().increment(METRIC, UDF);
        LOG.warn("processing error, the row is kept with {} NULL (ksqlDB's processing log): {}", function,
                failure.getMessage() != null ? failure.getMessage() : failure.toString());
    }

    /** Expressions made NULL so far, over every query. */
    public static long total() {
        return SluiceMetrics.global().total(METRIC);
    }
}

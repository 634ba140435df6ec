package dev.sluice.runtime.function.scalar;

/**
 * A VARCHAR event time read with ksqlDB's {@code timestamp_format} (a source's or a sink's
 * {@code WITH (TIMESTAMP='col', TIMESTAMP_FORMAT='...')}), as STRINGTOTIMESTAMP reads it: in UTC
 * unless the text names its zone or offset.
 */
public final class TimestampText {
    private TimestampText() {
    }

    /** Epoch milliseconds; throws {@link dev.sluice.runtime.function.FunctionException} when {@code text} does not match. */
    public static long parse(String text, String pattern) {
        return KsqlTemporalFunctions.parseTimestamp("timestamp_format", text, pattern, null);
    }
}

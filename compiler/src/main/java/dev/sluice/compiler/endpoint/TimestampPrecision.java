package dev.sluice.compiler.endpoint;

import java.util.List;

/**
 * Sluice's TIMESTAMP is TIMESTAMP(3): rows carry epoch milliseconds. A source column finer than
 * that (PostgreSQL's timestamp(6), the default; Parquet TIMESTAMP MICROS/NANOS and INT96; a
 * declared TIMESTAMP(6)/(9)) is read with its digits below the millisecond cut off. That is a
 * documented limit (docs/types.md), and the compiler says it at the column, never silently.
 */
public final class TimestampPrecision {
    public static final int MILLIS = 3;

    private TimestampPrecision() {
    }

    public static String cutNote(List<String> columns) {
        return "timestamps finer than milliseconds in " + String.join(", ", columns) + ": Sluice's TIMESTAMP is "
                + "TIMESTAMP(3), digits below the millisecond are cut when read";
    }
}

package dev.sluice.runtime.plan;

import java.util.OptionalLong;

/**
 * The frame of an aggregate used as a window function, always ending at the current row:
 * {@code ROWS BETWEEN n PRECEDING AND CURRENT ROW} (the row and the n rows before it),
 * {@code RANGE BETWEEN INTERVAL 'd' PRECEDING AND CURRENT ROW} (the rows whose order value is at
 * most d before the row's, and its peers), or from the partition's first row when
 * {@code preceding} is empty (UNBOUNDED PRECEDING). Under RANGE, peers (rows equal in the order)
 * share one value, as SQL's default frame {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}
 * says; under ROWS each row has its own.
 *
 * @param preceding rows before the current one (ROWS) or milliseconds before its order value (RANGE)
 */
public record OverFrame(boolean rows, OptionalLong preceding) {
    /** SQL's default frame with ORDER BY: the partition's rows up to the current row's last peer. */
    public static final OverFrame RANGE_UNBOUNDED = new OverFrame(false, OptionalLong.empty());

    public OverFrame {
        if (preceding.isPresent() && preceding.getAsLong() < 0) {
            throw new IllegalArgumentException("a frame reaches back a non-negative amount: " + preceding);
        }
    }

    public boolean unbounded() {
        return preceding.isEmpty();
    }

    /** As SQL writes it, for explain and for the optimizer's canonical form. */
    public String sql() {
        String start = preceding.isEmpty() ? "UNBOUNDED"
                : rows ? Long.toString(preceding.getAsLong()) : "INTERVAL '" + preceding.getAsLong() + "' MILLISECOND";
        return (rows ? "ROWS" : "RANGE") + " BETWEEN " + start + " PRECEDING AND CURRENT ROW";
    }
}

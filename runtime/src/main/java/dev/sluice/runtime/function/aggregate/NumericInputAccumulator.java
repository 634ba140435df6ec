package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;

/**
 * An accumulator of one numeric argument read as a double, such as the variance and standard
 * deviation aggregates: NULL inputs are skipped (they neither add nor retract), and every input
 * can be retracted. Subclasses keep their own recurrence.
 */
abstract class NumericInputAccumulator implements Accumulator {
    private final ArgumentSlots slots;

    NumericInputAccumulator(ArgumentSlots slots) {
        this.slots = slots;
    }

    /** Adds one non-NULL input. */
    abstract void add(double x);

    /** Retracts one non-NULL input added before. */
    abstract void retract(double x);

    @Override
    public final void add(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v != null) {
            add(((Number) v).doubleValue());
        }
    }

    @Override
    public final boolean canRetract() {
        return true;
    }

    @Override
    public final void retract(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v != null) {
            retract(((Number) v).doubleValue());
        }
    }
}

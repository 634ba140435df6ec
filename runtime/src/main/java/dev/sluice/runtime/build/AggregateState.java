package dev.sluice.runtime.build;

import dev.sluice.runtime.function.Accumulator;

/** The accumulators of one group (and window): one per aggregate call, in call order. */
public final class AggregateState {
    final Accumulator[] accumulators;

    AggregateState(Accumulator[] accumulators) {
        this.accumulators = accumulators;
    }
}

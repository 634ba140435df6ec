package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.plan.Step;

import java.util.Optional;

/**
 * A planned FROM item or query: the step producing its rows and the scope describing them.
 * {@code windowTvf} is set for a window table function whose window is applied by the GROUP BY
 * that follows it.
 */
public record PlannedRelation(Step step, Scope scope, Optional<WindowTvf> windowTvf) {
    public PlannedRelation(Step step, Scope scope) {
        this(step, scope, Optional.empty());
    }

    /** {@code TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), ...))}: columns window_start/window_end at these positions. */
    public record WindowTvf(dev.sluice.runtime.plan.WindowSpec.Kind kind, long sizeMs, long advanceMs,
                            int windowStartColumn, int windowEndColumn) {
    }
}

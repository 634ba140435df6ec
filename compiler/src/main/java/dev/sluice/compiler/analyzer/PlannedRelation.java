package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.plan.Step;

import java.util.Optional;

/**
 * A planned FROM item or query: the step producing its rows and the scope describing them.
 * {@code windowTvf} is set for a window table function whose window is applied by the GROUP BY
 * that follows it. {@code joinKey}: a ksqlDB-dialect join's key ({@link KsqlJoinKey}) when the rows
 * are a join's, and, after the SELECT over them, {@code sinkKey}: which output column a sink writes
 * as the record key.
 */
public record PlannedRelation(Step step, Scope scope, Optional<WindowTvf> windowTvf,
                              Optional<KsqlJoinKey> joinKey, Optional<KsqlJoinKey.Choice> sinkKey) {
    public PlannedRelation(Step step, Scope scope) {
        this(step, scope, Optional.empty());
    }

    public PlannedRelation(Step step, Scope scope, Optional<WindowTvf> windowTvf) {
        this(step, scope, windowTvf, Optional.empty(), Optional.empty());
    }

    public PlannedRelation(Step step, Scope scope, Optional<WindowTvf> windowTvf, Optional<KsqlJoinKey> joinKey) {
        this(step, scope, windowTvf, joinKey, Optional.empty());
    }

    /**
     * {@code TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), ...))}: columns window_start/window_end at these
     * positions; {@code processingTime} when {@code ts} is a PROCTIME() column.
     */
    public record WindowTvf(dev.sluice.runtime.plan.WindowSpec.Kind kind, long sizeMs, long advanceMs,
                            int windowStartColumn, int windowEndColumn, boolean processingTime) {
    }
}

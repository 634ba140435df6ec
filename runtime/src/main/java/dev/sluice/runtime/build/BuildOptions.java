package dev.sluice.runtime.build;

/**
 * How to build.
 *
 * <p>{@code endOfTimeHeartbeats}: add, before each windowed aggregate, a source topic
 * ({@code <step>-end-of-time}) through which replay sends one far-future record after the input
 * ends, so that every still-open window closes and is emitted, as Flink does at the end of a
 * bounded source. Production topologies never have it.
 *
 * <p>{@code finalEmit}: how EMIT FINAL is built. {@code suppress(untilWindowCloses)} is the
 * default. The aggregate's own {@code emitStrategy(onWindowClose())} was measured about 8% faster
 * (200k records through TopologyTestDriver, 4 alternating runs, median 6.4k vs 5.9k rec/s on a
 * loaded 2-core machine), but it left windows unemitted in 27 of 126 pipeline cases (it emits only
 * when a later record reaches the same task, throttled by wall-clock time), so it is not offered to
 * users; it stays here for the benchmarks.
 *
 * <p>{@code chainSteps}: run consecutive stateless steps of a stream as one processor
 * ({@link StatelessChain}), always on but for the tests that compare a chained topology with the
 * unchained one.
 *
 * <p>{@code stateBackend}: which stores every stateful step gets ({@link StateBackend}; the script's
 * {@code SET 'state.backend.type'}, which the compiler puts here).
 *
 * <p>{@code preAggregate}: merge a pane-path window aggregate's records into partials before its
 * repartition topic ({@link PanePreAggregateBuilder}), always on but for the tests that compare the
 * rows with and without.
 *
 * <p>{@code threeWayJoins}: run a regular INNER join whose left input is another one on the same key
 * as one operator that does not store the inner join's rows ({@link JoinBuilder#regularThreeWay}),
 * always on but for the tests that compare it with the two binary joins.
 */
public record BuildOptions(boolean endOfTimeHeartbeats, FinalEmit finalEmit, boolean chainSteps,
                           StateBackend stateBackend, boolean preAggregate, boolean threeWayJoins) {
    public static final BuildOptions PRODUCTION = new BuildOptions(false, FinalEmit.SUPPRESS);
    public static final BuildOptions REPLAY = new BuildOptions(true, FinalEmit.SUPPRESS);

    /** {@code suppress(untilWindowCloses)} after the aggregate, or the aggregate's own {@code emitStrategy(onWindowClose())}. */
    public enum FinalEmit { SUPPRESS, WINDOW_CLOSE }

    public BuildOptions(boolean endOfTimeHeartbeats, FinalEmit finalEmit) {
        this(endOfTimeHeartbeats, finalEmit, true, StateBackend.ROCKSDB, true, true);
    }

    public BuildOptions withFinalEmit(FinalEmit emit) {
        return new BuildOptions(endOfTimeHeartbeats, emit, chainSteps, stateBackend, preAggregate, threeWayJoins);
    }

    /** These options with each stateless step a processor of its own (to compare with chained ones). */
    public BuildOptions withoutChaining() {
        return new BuildOptions(endOfTimeHeartbeats, finalEmit, false, stateBackend, preAggregate, threeWayJoins);
    }

    /** These options with every state store on {@code backend}. */
    public BuildOptions withStateBackend(StateBackend backend) {
        return new BuildOptions(endOfTimeHeartbeats, finalEmit, chainSteps, backend, preAggregate, threeWayJoins);
    }

    /** These options without pre-aggregation (to compare the rows with and without). */
    public BuildOptions withoutPreAggregation() {
        return new BuildOptions(endOfTimeHeartbeats, finalEmit, chainSteps, stateBackend, false, threeWayJoins);
    }

    /** These options with every regular join binary (to compare the rows with the three-way operator's). */
    public BuildOptions withoutThreeWayJoins() {
        return new BuildOptions(endOfTimeHeartbeats, finalEmit, chainSteps, stateBackend, preAggregate, false);
    }
}

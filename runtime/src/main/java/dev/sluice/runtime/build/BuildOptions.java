package dev.sluice.runtime.build;

/**
 * How to build.
 *
 * <p>{@code endOfTimeHeartbeats}: add, before each windowed aggregate, a source topic
 * ({@code <step>-end-of-time}) through which replay sends one far-future record after the input
 * ends, so that every still-open window closes and is emitted, as Flink does at the end of a
 * bounded source. Production topologies never have it.
 *
 * <p>{@code finalEmit}: how EMIT FINAL is built, {@code SET 'sluice.emit.final' = 'suppress' |
 * 'window-close'}. Both give one row per window once it closes; see docs/performance.md for which
 * is faster.
 */
public record BuildOptions(boolean endOfTimeHeartbeats, FinalEmit finalEmit) {
    public static final BuildOptions PRODUCTION = new BuildOptions(false, FinalEmit.SUPPRESS);
    public static final BuildOptions REPLAY = new BuildOptions(true, FinalEmit.SUPPRESS);

    /** {@code suppress(untilWindowCloses)} after the aggregate, or the aggregate's own {@code emitStrategy(onWindowClose())}. */
    public enum FinalEmit { SUPPRESS, WINDOW_CLOSE }

    public BuildOptions withFinalEmit(FinalEmit emit) {
        return new BuildOptions(endOfTimeHeartbeats, emit);
    }
}

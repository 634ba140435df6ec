package dev.sluice.runtime.build;

/**
 * How to build. {@code endOfTimeHeartbeats}: add, before each windowed aggregate, a source topic
 * ({@code <step>-end-of-time}) through which replay sends one far-future record after the input
 * ends, so that every still-open window closes and is emitted, as Flink does at the end of a
 * bounded source. Production topologies never have it.
 */
public record BuildOptions(boolean endOfTimeHeartbeats) {
    public static final BuildOptions PRODUCTION = new BuildOptions(false);
    public static final BuildOptions REPLAY = new BuildOptions(true);
}

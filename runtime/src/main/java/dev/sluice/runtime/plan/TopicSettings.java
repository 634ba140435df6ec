package dev.sluice.runtime.plan;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How a topic is to be created when Sluice creates it ({@code sluice run}): WITH
 * {@code partitions}, {@code replicas} and {@code retention_ms}, typed and checked during analysis.
 * Empty means "the broker's default" (or, for partitions, "as many as the sources").
 */
public record TopicSettings(OptionalInt partitions, Optional<Short> replicas, OptionalLong retentionMs) {
    public static final TopicSettings DEFAULT = new TopicSettings(OptionalInt.empty(), Optional.empty(),
            OptionalLong.empty());
}

package dev.sluice.bench;

import org.apache.kafka.streams.Topology;

import java.util.function.Supplier;

/**
 * One benchmarked pipeline: its SQL (a resource under {@code shapes/}, compiled after the shared
 * feedback_events declaration) and the same pipeline hand-written in the Kafka Streams DSL. Both
 * write JSON rows to {@link #OUTPUT}.
 */
public record Shape(String id, String title, String sqlResource, Supplier<Topology> handWritten) {
    public static final String OUTPUT = "bench-out";
}

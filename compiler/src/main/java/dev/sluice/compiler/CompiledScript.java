package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.compiler.optimizer.OptimizationReport;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole script compiled into one Kafka Streams application: the sources it declared, its queries
 * in order, the {@code SET} settings, the topology and notes for the user (options accepted but
 * ignored, connectors read as Kafka topics). {@code endOfTimeTopics} are replay-only heartbeats.
 * {@code optimization} says which optimizer rules fired and which steps queries share.
 * {@code connectors} are the Kafka Connect connectors feeding and draining the script's topics
 * (endpoints other than Kafka), in the order the script reads and writes them.
 */
public record CompiledScript(String applicationId, List<SourceDefinition> sources, List<CompiledQuery> queries,
                             Map<String, String> settings, Topology topology, List<String> endOfTimeTopics,
                             List<String> notes, OptimizationReport optimization, List<ConnectorPlan> connectors) {
    /** A script compiled without the optimizer. */
    public CompiledScript(String applicationId, List<SourceDefinition> sources, List<CompiledQuery> queries,
                          Map<String, String> settings, Topology topology, List<String> endOfTimeTopics,
                          List<String> notes) {
        this(applicationId, sources, queries, settings, topology, endOfTimeTopics, notes, OptimizationReport.none());
    }

    /** A script with no endpoint other than Kafka topics. */
    public CompiledScript(String applicationId, List<SourceDefinition> sources, List<CompiledQuery> queries,
                          Map<String, String> settings, Topology topology, List<String> endOfTimeTopics,
                          List<String> notes, OptimizationReport optimization) {
        this(applicationId, sources, queries, settings, topology, endOfTimeTopics, notes, optimization, List.of());
    }

    public CompiledScript {
        sources = List.copyOf(sources);
        queries = List.copyOf(queries);
        settings = Map.copyOf(settings);
        endOfTimeTopics = List.copyOf(endOfTimeTopics);
        notes = List.copyOf(notes);
        connectors = List.copyOf(connectors);
    }

    /** The query whose rows a replay or run prints: the last bare SELECT, if any. */
    public Optional<CompiledQuery> printedQuery() {
        for (int i = queries.size() - 1; i >= 0; i--) {
            if (!queries.get(i).persistent()) {
                return Optional.of(queries.get(i));
            }
        }
        return Optional.empty();
    }

    /** Where the application keeps its state (SET 'state.backend.type', or the run's --config). */
    public dev.sluice.runtime.build.StateBackend stateBackend() {
        return dev.sluice.runtime.build.StateBackend.of(settings);
    }

    /** Whose results the script gets: ksqlDB's when a declaration names its topic with KAFKA_TOPIC (DialectRule). */
    public dev.sluice.compiler.catalog.Dialect dialect() {
        return sources.stream().anyMatch(s -> s.format().properties().containsKey("kafka_topic"))
                ? dev.sluice.compiler.catalog.Dialect.KSQL : dev.sluice.compiler.catalog.Dialect.FLINK;
    }
}

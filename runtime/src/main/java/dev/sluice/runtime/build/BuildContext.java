package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.Step;
import org.apache.kafka.streams.StreamsBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every step builder needs while one topology is being built. */
final class BuildContext {
    final StreamsBuilder streams;
    final SerdeFactory serdes;
    final FunctionCatalog functions;
    final ExprCompiler compiler;
    final BuildOptions options;
    /** Steps already built, by structural equality: a step shared by two queries is built once. */
    final Map<Step, Built> built = new HashMap<>();
    /** Kafka Streams allows one source node per topic; queries reading the same topic share it. */
    final Map<String, Built> sourcesByTopic = new HashMap<>();
    /** What the queries read of each step's output and source topic's value (see {@link SourceReads}). */
    SourceReads reads = SourceReads.everything();
    /** Who reads each step's result table (see {@link ResultTableReaders}). */
    ResultTableReaders tableReaders = ResultTableReaders.none();
    /** How many steps and sinks read each step (a shared step ends a chain, see {@link StatelessChain}). */
    Map<Step, Integer> consumers = Map.of();
    /** The re-keys whose topic carries pane partials, each with its aggregate ({@link PanePreAggregateBuilder}). */
    Map<Step, dev.sluice.runtime.plan.AggregateStep> preAggregated = Map.of();
    /** Heartbeat topics in the order replay must feed them (inner aggregates first). */
    final List<String> endOfTimeTopics = new ArrayList<>();
    /** Processor name to the store it reads, connected once the topology is built (the store comes later). */
    final java.util.Map<String, String> storeConnections = new java.util.LinkedHashMap<>();

    BuildContext(StreamsBuilder streams, SerdeFactory serdes, FunctionCatalog functions, BuildOptions options) {
        this.streams = streams;
        this.serdes = serdes;
        this.functions = functions;
        this.compiler = new ExprCompiler(functions);
        this.options = options;
    }
}

package dev.sluice.cli.run;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.plan.FormatSpec;
import org.apache.kafka.streams.TopologyDescription;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The topics one application touches, sorted by who owns them: {@code sources} are read and must
 * exist (someone else writes them), {@code sinks} are written by the queries (persistent sinks and
 * the output topics of bare SELECTs), plus the dead-letter topic if one is configured. Internal
 * topics (repartition, changelog) are Kafka Streams' own and created by it.
 */
public record RunTopics(Map<String, TopicSpec> sources, Map<String, TopicSpec> sinks) {

    /** Partitions and replicas from WITH ('partitions', 'replicas'); empty means "decide later". */
    public record TopicSpec(String name, OptionalInt partitions, Optional<Short> replicas) {
        static TopicSpec of(FormatSpec format) {
            // typed and checked when the script was compiled (WITH 'partitions', 'replicas')
            return new TopicSpec(format.topic(), format.topicSettings().partitions(),
                    format.topicSettings().replicas());
        }
    }

    public static RunTopics of(CompiledScript script, Map<String, String> settings) {
        Set<String> read = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : script.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    read.addAll(s.topicSet());
                }
            }
        }
        Map<String, TopicSpec> sinks = new LinkedHashMap<>();
        for (CompiledQuery q : script.queries()) {
            q.plan().sink().ifPresent(f -> sinks.putIfAbsent(f.topic(), TopicSpec.of(f)));
        }
        String dlq = settings.get("errors.dead.letter.queue.topic.name");
        if (dlq != null && !dlq.isBlank()) {
            sinks.putIfAbsent(dlq, new TopicSpec(dlq, OptionalInt.of(1), Optional.empty()));
        }
        Map<String, TopicSpec> sources = new LinkedHashMap<>();
        for (SourceDefinition s : script.sources()) {
            String topic = s.format().topic();
            if (read.contains(topic) && !sinks.containsKey(topic)) {
                sources.putIfAbsent(topic, TopicSpec.of(s.format()));
            }
        }
        return new RunTopics(java.util.Collections.unmodifiableMap(sources), java.util.Collections.unmodifiableMap(sinks));
    }
}

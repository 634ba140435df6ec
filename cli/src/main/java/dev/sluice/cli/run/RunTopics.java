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
            return new TopicSpec(format.topic(), intProperty(format, "partitions"),
                    intProperty(format, "replicas").isPresent()
                            ? Optional.of((short) intProperty(format, "replicas").getAsInt()) : Optional.empty());
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

    private static OptionalInt intProperty(FormatSpec format, String key) {
        String v = format.properties().get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new dev.sluice.cli.UsageException("topic " + format.topic() + ": WITH '" + key
                    + "' must be a whole number, got '" + v + "'");
        }
    }
}

package dev.sluice.cli.run;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.catalog.SourceDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.TopologyDescription;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many partitions each topic the application reads has, or will have once {@link TopicCreator}
 * made it: the topics that exist are described, a missing source gets WITH 'partitions' (else 1),
 * a missing sink that another query reads back gets WITH 'partitions' (else the widest source's).
 * When every count is 1, every sub-topology of the application has one task and the compiler's
 * {@code onetask} rule applies (docs/optimizer.md); every instance of an application asks the same
 * cluster, so all of them build the same topology.
 */
record SourcePartitions(Map<String, Integer> counts) {
    SourcePartitions {
        counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    /** Whether every topic read has exactly one partition (false when the script reads none). */
    boolean allOne() {
        return !counts.isEmpty() && counts.values().stream().allMatch(n -> n == 1);
    }

    /** E.g. "kafka (1 partition), bids (4 partitions)", for the upgrade check's explanation. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((topic, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(topic).append(" (").append(n)
                .append(n == 1 ? " partition)" : " partitions)"));
        return sb.toString();
    }

    /**
     * The counts on the cluster; a source that is missing and not to be created is left out and makes
     * {@link #allOne} false (TopicCreator refuses to run without it anyway).
     */
    static SourcePartitions of(Admin admin, CompiledScript script, RunTopics topics, boolean createSources) {
        Set<String> read = readTopics(script);
        Map<String, TopicDescription> existing = describe(admin, read);
        Map<String, Integer> counts = new TreeMap<>();
        boolean missing = false;
        int widest = 1;
        for (RunTopics.TopicSpec source : topics.sources().values()) {
            TopicDescription d = existing.get(source.name());
            if (d != null) {
                counts.put(source.name(), d.partitions().size());
            } else if (createSources) {
                counts.put(source.name(), source.partitions().orElse(1));
            } else {
                missing = true;
                continue;
            }
            widest = Math.max(widest, counts.get(source.name()));
        }
        for (RunTopics.TopicSpec sink : topics.sinks().values()) {
            if (read.contains(sink.name())) { // written by one query, read by another
                TopicDescription d = existing.get(sink.name());
                counts.put(sink.name(), d != null ? d.partitions().size() : sink.partitions().orElse(widest));
            }
        }
        return missing ? new SourcePartitions(Map.of()) : new SourcePartitions(counts);
    }

    /** The declared topics the topology reads (not its internal ones). */
    private static Set<String> readTopics(CompiledScript script) {
        Set<String> declared = new TreeSet<>();
        for (SourceDefinition s : script.sources()) {
            declared.add(s.format().topic());
        }
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : script.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().stream().filter(declared::contains).forEach(out::add);
                }
            }
        }
        return out;
    }

    private static Map<String, TopicDescription> describe(Admin admin, Set<String> topics) {
        try {
            Set<String> present = new TreeSet<>(admin.listTopics().names().get(60, TimeUnit.SECONDS));
            present.retainAll(topics);
            return present.isEmpty() ? Map.of() : admin.describeTopics(present).allTopicNames().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the source topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe the source topics within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the source topics", e);
        }
    }
}

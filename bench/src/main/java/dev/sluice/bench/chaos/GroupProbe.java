package dev.sluice.bench.chaos;

import dev.sluice.compiler.CompiledScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The application's consumer group seen from the broker, for the fail-over and restore measurements:
 * which instance (by client id) owns a partition, the group's committed offset and the end offset.
 */
final class GroupProbe implements AutoCloseable {
    private final Admin admin;
    private final String group;

    GroupProbe(String bootstrap, String group) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5000,
                "default.api.timeout.ms", 10000));
        this.group = group;
    }

    /** The first repartition topic of the script's topology, by its name on the cluster. */
    static String repartitionTopic(CompiledScript script) {
        for (TopologyDescription.Subtopology sub : script.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    for (String topic : source.topicSet()) {
                        if (topic.endsWith("-repartition")) {
                            return script.applicationId() + "-" + topic;
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("the topology has no repartition topic");
    }

    /** The client id of the member whose assignment holds {@code tp}, when the group is stable. */
    Optional<String> owner(TopicPartition tp) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            if (d.groupState() != GroupState.STABLE) {
                return Optional.empty();
            }
            return d.members().stream().filter(m -> m.assignment().topicPartitions().contains(tp))
                    .map(MemberDescription::clientId).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The client ids of the group's members, whatever its state (empty when it cannot be described). */
    java.util.Set<String> memberClientIds() {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.members().stream().map(MemberDescription::clientId).collect(java.util.stream.Collectors.toSet());
        } catch (Exception e) {
            return java.util.Set.of();
        }
    }

    int members() {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.groupState() == GroupState.STABLE ? d.members().size() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The group's committed offset on {@code tp}, or -1. */
    long committed(TopicPartition tp) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(tp);
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    long end(TopicPartition tp) {
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offset of " + tp, e);
        }
    }

    /**
     * The group as the broker sees it, on one line, for a failure message: its state, each member's
     * assignment, and every partition whose committed offset is short of its end, with the end of its
     * committed data (the last stable offset): an LSO short of the end is a transaction still open.
     */
    String describe(java.util.Set<String> topics) {
        StringBuilder out = new StringBuilder();
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            out.append("group ").append(d.groupState()).append(", members:");
            for (MemberDescription m : d.members()) {
                out.append(' ').append(m.clientId()).append(' ').append(new java.util.TreeSet<>(
                        m.assignment().topicPartitions().stream().map(TopicPartition::toString).toList()));
            }
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((t, td) ->
                    td.partitions().forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            var stable = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            out.append("; behind:");
            partitions.stream().sorted(java.util.Comparator.comparing(TopicPartition::toString)).forEach(tp -> {
                OffsetAndMetadata c = committed.get(tp);
                long end = ends.get(tp).offset();
                if (c == null ? end > 0 : c.offset() < end - 1) {
                    out.append(' ').append(tp).append(" committed ").append(c == null ? "none" : c.offset())
                            .append(" lso ").append(stable.get(tp).offset()).append(" end ").append(end).append(';');
                }
            });
        } catch (Exception e) {
            out.append(" (cannot describe the group: ").append(e).append(')');
        }
        return out.toString();
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            BrokerProcess.sleep(100);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

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

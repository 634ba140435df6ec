package dev.sluice.cli.run;

import dev.sluice.cli.UsageException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the topics of a run exist before Kafka Streams starts (it creates only its internal
 * topics). A missing source topic is an error unless asked to create it: a typo in a topic name
 * should not silently start a pipeline on an empty new topic. Sinks are created when missing, with
 * WITH's 'partitions' and 'replicas', else as many partitions as the widest source topic.
 */
public final class TopicCreator {
    private final Admin admin;
    private final String where;

    public TopicCreator(Admin admin, String where) {
        this.admin = admin;
        this.where = where;
    }

    /** Returns the names of the topics it created. */
    public List<String> ensure(RunTopics topics, boolean createSources) {
        Set<String> existing = call(admin.listTopics().names(), "list the topics");
        List<NewTopic> create = new ArrayList<>();
        int widest = 0;
        for (RunTopics.TopicSpec source : topics.sources().values()) {
            if (existing.contains(source.name())) {
                widest = Math.max(widest, partitions(source.name()));
            } else if (createSources) {
                create.add(newTopic(source, 1));
                widest = Math.max(widest, source.partitions().orElse(1));
            } else {
                throw new UsageException("source topic '" + source.name() + "' does not exist on " + where
                        + "; create it, or pass --create-topics to create the script's source topics");
            }
        }
        for (RunTopics.TopicSpec sink : topics.sinks().values()) {
            if (!existing.contains(sink.name())) {
                create.add(newTopic(sink, Math.max(widest, 1)));
            }
        }
        if (!create.isEmpty()) {
            try {
                admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics " + names(create) + " on " + where + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topics " + names(create) + " on " + where
                        + " took more than 60 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
        return names(create);
    }

    public int partitions(String topic) {
        Map<String, TopicDescription> d = call(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic);
        return d.get(topic).partitions().size();
    }

    private static NewTopic newTopic(RunTopics.TopicSpec spec, int defaultPartitions) {
        return new NewTopic(spec.name(), Optional.of(spec.partitions().orElse(defaultPartitions)), spec.replicas());
    }

    private static List<String> names(List<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }

    private <T> T call(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + " on " + where + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + where + " (no answer to '" + what
                    + "' within 60 s); check --bootstrap-servers and the security settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

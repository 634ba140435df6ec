package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.optimizer.StateResources;
import dev.sluice.compiler.optimizer.UpgradeCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Safe upgrades: before {@code sluice run} starts an application, it compares the state the
 * compiled topology expects with the state its application id already has on the cluster, and
 * refuses a version that cannot resume from it, with {@code sluice diff}'s explanation.
 *
 * <p>What exists is read from two places. Each start leaves a manifest: the state resources
 * ({@link StateResources}: stores, changelog and repartition topics, with what their keys and values
 * mean) in the compacted topic {@code <application.id>-sluice-manifest}, so the next start runs
 * {@code sluice diff}'s comparison without the old script. An application started before manifests
 * existed (or whose manifest was deleted) is checked by topic name only: a changelog or repartition
 * topic of its application id that the new topology does not use is orphaned state.
 *
 * <p>A reset ({@code --reset-incompatible-state}) does what Kafka's application reset tool does for
 * a fresh start: it deletes the application's internal topics (changelog, repartition) and its
 * consumer group, so the sources are read again from the start; the caller wipes the local state
 * directory ({@code KafkaStreams#cleanUp}). Output topics keep what the old version wrote.
 */
public final class UpgradeGuard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What the check found. {@code existingTopics}: the application's internal topics on the cluster. */
    public record Verdict(boolean fresh, boolean canResume, List<String> explanation, List<String> existingTopics) {
    }

    private final Admin admin;
    private final Map<String, Object> clientConfigs;
    private final String applicationId;

    public UpgradeGuard(Admin admin, Map<String, Object> clientConfigs, String applicationId) {
        this.admin = admin;
        this.clientConfigs = clientConfigs;
        this.applicationId = applicationId;
    }

    public static String manifestTopic(String applicationId) {
        return applicationId + "-sluice-manifest";
    }

    public Verdict check(CompiledScript script) {
        return check(script, "");
    }

    /**
     * {@code sources}: the source topics' partition counts as the run found them (for the explanation
     * when the plan changed with them; empty if unknown).
     */
    public Verdict check(CompiledScript script, String sources) {
        List<StateResources.Resource> wanted = StateResources.of(script);
        List<String> existing = internalTopics();
        Optional<Manifest> manifest = readManifest();
        boolean singleTask = script.optimization().singleTaskPlan();
        if (manifest.isPresent()) {
            UpgradeCheck.Result result = UpgradeCheck.compare(manifest.get().applicationId(), manifest.get().resources(),
                    script.applicationId(), wanted);
            // The manifest's application id is the one this run uses (it is read from its topic), so
            // only the resources decide; a different id in the script is the same application under --config.
            boolean canResume = result.changes().stream().noneMatch(c -> c.verdict().blocksResume);
            // A plan made for one task per sub-topology keeps its stores in the source's task, their
            // changelogs with one partition: with more source partitions, or with repartition topics
            // again, that state is not where the new plan looks for it (Kafka Streams would refuse
            // the changelogs' partition count, or the rows would be in the wrong tasks).
            boolean layoutChanged = manifest.get().singleTask() != singleTask && manifest.get().resources().stream()
                    .anyMatch(r -> r.kind() == StateResources.Kind.STORE);
            canResume &= !layoutChanged || !manifest.get().singleTask();
            List<String> lines = new ArrayList<>(canResume ? List.of() : result.explain());
            if (!canResume && lines.get(0).startsWith("application.id changes")) {
                lines.remove(0);
            }
            if (!canResume && layoutChanged) {
                lines.add(0, layoutChange(manifest.get().singleTask(), sources));
                String last = "the new version cannot resume from the old state: reset the application (or keep the old names)";
                if (!lines.get(lines.size() - 1).equals(last)) {
                    lines.set(lines.size() - 1, last); // the resources alone would have resumed
                }
            }
            return new Verdict(false, canResume, lines, existing);
        }
        if (existing.isEmpty()) {
            return new Verdict(true, true, List.of(), existing);
        }
        // No manifest: an application from before manifests. Names are all there is to compare.
        Set<String> expected = new TreeSet<>();
        for (StateResources.Resource r : wanted) {
            if (r.kind() != StateResources.Kind.STORE) {
                expected.add(applicationId + r.name().substring(script.applicationId().length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String topic : existing) {
            if (!expected.contains(topic)) {
                lines.add("  orphaned " + (topic.endsWith("-changelog") ? "changelog " : "repartition ") + topic
                        + ": the new version does not use it (its state would be lost)");
            }
        }
        if (lines.isEmpty()) {
            return new Verdict(false, true, List.of(), existing);
        }
        lines.add(0, "application " + applicationId + " has state from a version without a manifest; by topic name:");
        if (singleTask) {
            lines.add(0, layoutChange(false, sources));
        }
        lines.add("the new version cannot resume from the old state: reset the application (or keep the old names)");
        return new Verdict(false, false, lines, existing);
    }

    /** Why the plan changed: the source topics' partition count decides whether rows are re-keyed in the task. */
    private static String layoutChange(boolean wasSingleTask, String sources) {
        String now = sources.isEmpty() ? "" : " (now " + sources + ")";
        return wasSingleTask
                ? "the application last ran with every source topic at one partition, re-keying in the task without"
                + " repartition topics (the optimizer's onetask rule); its source topics no longer all have one"
                + " partition" + now + ", so this plan repartitions and its state is laid out for other tasks"
                : "every source topic has one partition" + now + ", so this plan re-keys in the task (the optimizer's"
                + " onetask rule) without the repartition topics the application ran with; a source topic of"
                + " several partitions keeps them";
    }

    /** Records what this version's state means, for the next start's check. */
    public void writeManifest(CompiledScript script) {
        String topic = manifestTopic(applicationId);
        try {
            if (!admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("cannot create " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + topic + ": " + e.getMessage(), e);
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("application_id", script.applicationId());
        doc.put("single_task_plan", script.optimization().singleTaskPlan());
        ArrayNode list = doc.putArray("resources");
        for (StateResources.Resource r : StateResources.of(script)) {
            ObjectNode n = list.addObject();
            n.put("name", r.name());
            n.put("kind", r.kind().name());
            n.put("step", r.step());
            r.queries().forEach(n.putArray("queries")::add);
            n.put("key", r.key());
            n.put("value", r.value());
        }
        Map<String, Object> config = new HashMap<>(clientConfigs);
        config.put("client.id", applicationId + "-sluice-manifest-writer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, applicationId, doc.toString())).get(TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the state manifest to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Kafka's reset tool, for a fresh start: internal topics, the manifest and the consumer group go. */
    public void reset(List<String> internalTopics) {
        try {
            List<String> doomed = new ArrayList<>(internalTopics);
            if (admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(manifestTopic(applicationId))) {
                doomed.add(manifestTopic(applicationId));
            }
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            try {
                admin.deleteConsumerGroups(List.of(applicationId)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupNotEmptyException) {
                    throw new IllegalStateException("application " + applicationId + " is still running elsewhere: "
                            + "stop every instance before a reset", e);
                }
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
            waitUntilGone(doomed);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset application " + applicationId + ": " + e.getMessage(), e);
        }
    }

    /** Topic deletion is asynchronous in KRaft: recreating a name too early fails. */
    private void waitUntilGone(List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> names = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (topics.stream().noneMatch(names::contains)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the old internal topics were not deleted within " + TIMEOUT.toSeconds() + " s");
    }

    private List<String> internalTopics() {
        try {
            List<String> out = new ArrayList<>();
            for (String t : new TreeSet<>(admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))) {
                if (t.startsWith(applicationId + "-") && (t.endsWith("-changelog") || t.endsWith("-repartition"))) {
                    out.add(t);
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the topics of application " + applicationId + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code singleTask}: the plan re-keyed in the task (absent from manifests of earlier versions: false). */
    private record Manifest(String applicationId, List<StateResources.Resource> resources, boolean singleTask) {
    }

    private Optional<Manifest> readManifest() {
        String topic = manifestTopic(applicationId);
        try {
            if (!admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic)) {
                return Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
        Map<String, Object> config = new HashMap<>(clientConfigs);
        config.put("client.id", applicationId + "-sluice-manifest-reader");
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        config.remove("group.id");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            String last = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(tp, TIMEOUT) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (applicationId.equals(r.key()) && r.value() != null) {
                        last = r.value();
                    }
                }
            }
            return last == null ? Optional.empty() : Optional.of(parse(last));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the state manifest " + topic + ": " + e.getMessage(), e);
        }
    }

    private static Manifest parse(String json) throws Exception {
        JsonNode doc = JSON.readTree(json);
        List<StateResources.Resource> resources = new ArrayList<>();
        for (JsonNode n : doc.get("resources")) {
            List<String> queries = new ArrayList<>();
            n.path("queries").forEach(q -> queries.add(q.asText()));
            resources.add(new StateResources.Resource(n.get("name").asText(),
                    StateResources.Kind.valueOf(n.get("kind").asText()), n.get("step").asText(), queries,
                    n.get("key").asText(), n.get("value").asText()));
        }
        return new Manifest(doc.get("application_id").asText(), resources, doc.path("single_task_plan").asBoolean(false));
    }
}

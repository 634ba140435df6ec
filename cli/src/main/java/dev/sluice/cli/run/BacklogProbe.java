package dev.sluice.cli.run;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.catalog.SourceDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Measures an application's {@link Backlog} on the cluster: the consumer group's committed offsets
 * against the end offsets of every topic the application consumes, its own repartition topics
 * included (a record that left its source sub-topology may still wait in one).
 *
 * <p>Why not the consumer's {@code records-lag} metric: it counts what has not been <em>fetched</em>.
 * A fetched batch can take longer to process than any idle timeout (a heavy aggregate over many
 * groups), and a repartition topic's records are invisible to a lag taken on the sources.
 *
 * <p>Under exactly-once the committed offset of a fully processed partition can stop one short of
 * its end: the last transaction's commit marker takes an offset, and Kafka Streams commits only
 * after processing something. So a short remainder is read with {@code read_committed} and only its
 * data records count; a remainder held behind an open transaction counts as unprocessed.
 */
public final class BacklogProbe implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BacklogProbe.class);
    /** Remainders up to this many offsets are read to tell markers from records; longer ones are counted. */
    private static final long READ_AT_MOST = 256;
    private static final long TIMEOUT_SECONDS = 15;

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final String applicationId;
    private final Set<String> topics;
    private List<TopicPartition> partitions = List.of();

    BacklogProbe(Admin admin, Properties streamsConfig, String applicationId, Set<String> topics) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.topics = Set.copyOf(topics);
        this.reader = new KafkaConsumer<>(ClientConfigs.readCommittedConsumer(streamsConfig, "sluice-run-backlog"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A probe for the application of {@code script} configured by {@code streamsConfig}. */
    public static BacklogProbe open(CompiledScript script, Properties streamsConfig) {
        String applicationId = streamsConfig.getProperty("application.id");
        Admin admin = Admin.create(ClientConfigs.admin(streamsConfig, "sluice-run-backlog-admin"));
        return new BacklogProbe(admin, streamsConfig, applicationId, consumedTopics(script, applicationId));
    }

    /** A probe of the given topics (names on the cluster) for the application of {@code streamsConfig}. */
    public static BacklogProbe open(Properties streamsConfig, Set<String> topics) {
        String applicationId = streamsConfig.getProperty("application.id");
        Admin admin = Admin.create(ClientConfigs.admin(streamsConfig, "sluice-run-backlog-admin"));
        return new BacklogProbe(admin, streamsConfig, applicationId, topics);
    }

    /**
     * Every topic the application's consumer group reads, by its name on the cluster: declared
     * sources and sinks as written, internal topics (repartition) prefixed with the application id,
     * as Kafka Streams names them. Global tables are read outside the group and are not included.
     */
    static Set<String> consumedTopics(CompiledScript script, String applicationId) {
        Set<String> declared = new LinkedHashSet<>();
        for (SourceDefinition s : script.sources()) {
            declared.add(s.format().topic());
        }
        for (CompiledQuery q : script.queries()) {
            q.plan().sink().ifPresent(f -> declared.add(f.topic()));
        }
        Set<String> out = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : script.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    for (String t : s.topicSet()) {
                        boolean internal = !declared.contains(t) && !t.startsWith(applicationId + "-");
                        out.add(internal ? applicationId + "-" + t : t);
                    }
                }
            }
        }
        return out;
    }

    /** One measurement; {@link Backlog#unknown()} when the cluster does not answer in time. */
    public Backlog measure() {
        try {
            if (partitions.isEmpty() || partitions.stream().map(TopicPartition::topic).distinct().count() < topics.size()) {
                partitions = describe();
                if (partitions.stream().map(TopicPartition::topic).distinct().count() < topics.size()) {
                    return Backlog.unknown(); // Kafka Streams has not created its internal topics yet
                }
            }
            Map<TopicPartition, Long> endsBefore = offsets(OffsetSpec.latest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int open = openTransactions();
            Map<TopicPartition, Long> ends = offsets(OffsetSpec.latest());
            Map<TopicPartition, Long> starts = null;
            Map<String, Long> perTopic = new TreeMap<>();
            long total = 0;
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                long from;
                if (c != null) {
                    from = c.offset();
                } else {
                    if (starts == null) {
                        starts = offsets(OffsetSpec.earliest());
                    }
                    from = starts.get(tp); // Kafka Streams starts a partition without a commit at its earliest offset
                }
                long left = remaining(tp, from, end);
                if (left > 0) {
                    perTopic.merge(tp.topic(), left, Long::sum);
                    total += left;
                }
            }
            boolean drained = total == 0 && open == 0 && endsBefore.equals(ends);
            LOG.debug("backlog of {}: ends {}, committed {}, {} open transaction(s), drained {}", applicationId, ends,
                    committed, open, drained);
            return new Backlog(total, perTopic, open, drained);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Backlog.unknown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Backlog.unknown();
        }
    }

    /** Data records in [from, end): counted by reading when the gap is short, else the gap itself. */
    private long remaining(TopicPartition tp, long from, long end) {
        long gap = end - from;
        if (gap <= 0) {
            return 0;
        }
        if (gap > READ_AT_MOST) {
            return gap;
        }
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        long records = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (reader.position(tp) < end && System.nanoTime() < deadline) {
            records += reader.poll(Duration.ofMillis(100)).count();
        }
        // a position stuck short of the end waits behind an open transaction: in flight, not done
        return records + Math.max(0, end - reader.position(tp));
    }

    /**
     * Open transactions whose id is the application's (Kafka Streams names them
     * {@code <application.id>-<process>-<thread>}). A principal without DESCRIBE on transactional
     * ids gets 0 here; a transaction open on a consumed partition still shows, as a remainder that
     * read_committed cannot pass.
     */
    private int openTransactions() throws InterruptedException {
        java.util.Collection<org.apache.kafka.clients.admin.TransactionListing> listed;
        try {
            listed = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return 0;
        }
        int n = 0;
        for (var t : listed) {
            if (t.transactionalId().startsWith(applicationId + "-")) {
                n++;
            }
        }
        return n;
    }

    private List<TopicPartition> describe() throws java.util.concurrent.ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> present = topics.stream().filter(existing::contains).toList();
        Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<TopicPartition> out = new ArrayList<>();
        described.forEach((t, d) -> d.partitions().forEach(p -> out.add(new TopicPartition(t, p.partition()))));
        return List.copyOf(out);
    }

    private Map<TopicPartition, Long> offsets(OffsetSpec spec) throws java.util.concurrent.ExecutionException,
            InterruptedException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    @Override
    public void close() {
        reader.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        admin.close(Duration.ofSeconds(5));
    }
}

package dev.sluice.cli.run;

import dev.sluice.cli.replay.Changelog;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Follows the rows a run prints, like a ksqlDB push query: the last bare SELECT's output topic, or,
 * when the script has none, every sink (rows labelled with {@code _sink}). It reads with
 * {@code read_committed}, so under exactly-once it sees only rows of committed transactions, and it
 * starts at the topics' ends as they were before the application started: rows a previous run
 * wrote are not printed again.
 */
public final class OutputTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputTail.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, OutputDecoder> decoders;
    private final List<String> columns;

    private OutputTail(KafkaConsumer<byte[], byte[]> consumer, Map<String, OutputDecoder> decoders, List<String> columns) {
        this.consumer = consumer;
        this.decoders = decoders;
        this.columns = columns;
    }

    /** Opens the consumer and pins the start offsets; call before the application starts writing. */
    public static OutputTail open(CompiledScript script, Properties streamsConfig, boolean changelog) {
        Map<String, OutputDecoder> decoders = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        if (changelog) {
            columns.add(Changelog.OP);
        }
        var printed = script.printedQuery();
        if (printed.isPresent()) {
            OutputDecoder d = new OutputDecoder(printed.get(), false, changelog);
            decoders.put(d.topic(), d);
            columns.addAll(printed.get().schema().names());
        } else {
            columns.add("_sink");
            for (CompiledQuery q : script.queries()) {
                OutputDecoder d = new OutputDecoder(q, true, changelog);
                decoders.putIfAbsent(d.topic(), d);
                for (String c : q.schema().names()) {
                    if (!columns.contains(c)) {
                        columns.add(c);
                    }
                }
            }
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.readCommittedConsumer(streamsConfig, "sluice-run-output"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : decoders.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.endOffsets(partitions, Duration.ofSeconds(60)).forEach(consumer::seek);
        return new OutputTail(consumer, decoders, List.copyOf(columns));
    }

    /** Column names in print order ({@code op} first in changelog mode, then {@code _sink} when rows come from several sinks). */
    public List<String> columns() {
        return columns;
    }

    public List<OutputRow> poll(Duration timeout) {
        List<OutputRow> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            OutputDecoder decoder = decoders.get(record.topic());
            try {
                rows.addAll(decoder.decode(record));
            } catch (RuntimeException e) {
                // a row written by another producer in another format must not stop the printing
                LOG.warn("cannot print a record of {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        return rows;
    }

    /**
     * Whether every committed row of the printed topics has been read: the position of each
     * partition has reached its last stable offset (read_committed's end).
     */
    public boolean atEnd() {
        var partitions = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, Duration.ofSeconds(30)) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}

package dev.sluice.cli.run;

import dev.sluice.cli.UsageException;
import dev.sluice.cli.replay.InputRecords;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.catalog.SourceDefinition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes {@code --input NAME=FILE.jsonl} files into their source topics, in replay's order, so a run
 * on a broker sees what a replay sees: tables first (every stream record then finds them), streams
 * merged by event time across files while each file keeps its own order (a late record stays
 * late). Each record's Kafka timestamp is its event time. Lines are written as they are, so a
 * malformed line reaches the pipeline and is handled there (skipped, counted, dead-lettered).
 */
public final class InputProducer {
    /** One record as written: its topic, its raw value and its timestamp. */
    public record Planned(String topic, byte[] key, byte[] value, long timestamp,
                          org.apache.kafka.common.header.Headers headers) {
        public Planned(String topic, byte[] key, byte[] value, long timestamp) {
            this(topic, key, value, timestamp, new org.apache.kafka.common.header.internals.RecordHeaders());
        }
    }

    private InputProducer() {
    }

    /** The records of all inputs in the order they are written. */
    public static List<Planned> plan(CompiledScript script, List<ReplayInput> inputs) {
        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        for (SourceDefinition s : script.sources()) {
            sources.put(s.name().toLowerCase(Locale.ROOT), s);
        }
        List<Planned> out = new ArrayList<>();
        List<SourceDefinition> streamSources = new ArrayList<>();
        List<List<InputRecords.Record>> streams = new ArrayList<>();
        for (ReplayInput input : inputs) {
            SourceDefinition source = sources.get(input.source().toLowerCase(Locale.ROOT));
            if (source == null) {
                throw new UsageException("--input " + input.source() + ": no such stream or table in the script"
                        + Suggestions.closest(input.source(), sources.keySet()).map(c -> "; did you mean `" + c + "`?")
                        .orElse(""));
            }
            List<InputRecords.Record> records = InputRecords.read(input, source);
            if (source.rowtimeColumn().isEmpty()) {
                // No event time: written now, as a producer would. Timestamp 0 (1970) is past every
                // topic's retention, so the broker could delete the records before the pipeline reads them.
                long now = System.currentTimeMillis();
                records = records.stream().map(r -> new InputRecords.Record(r.key(), r.value(), now)).toList();
            }
            if (source.kind() == SourceDefinition.Kind.TABLE) {
                records.forEach(r -> out.add(new Planned(source.format().topic(), r.key(), r.value(), r.timestamp(),
                        r.headers())));
            } else {
                streamSources.add(source);
                streams.add(records);
            }
        }
        InputRecords.mergeByEventTime(streams, (r, input) -> out.add(
                new Planned(streamSources.get(input).format().topic(), r.key(), r.value(), r.timestamp(),
                        r.headers())));
        return out;
    }

    /** Writes the records, in order, and waits until the broker has them all; returns how many. */
    public static int produce(List<Planned> records, Properties streamsConfig) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ClientConfigs.producer(streamsConfig, "sluice-run-input"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (Planned r : records) {
                // a table's records carry their PRIMARY KEY as the Kafka key (a global table reads it from
                // there); streams are written without keys, as in replay
                sent.add(producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value(), r.headers())));
            }
            producer.flush();
            for (var f : sent) {
                f.get(60, TimeUnit.SECONDS); // flush() does not report failed sends; their futures do
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write the --input records: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("writing the --input records took more than 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the --input records", e);
        }
        return records.size();
    }
}

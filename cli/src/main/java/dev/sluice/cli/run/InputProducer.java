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
 * and {@code TABLE@instant} updates merged by event time across files while each file keeps its own
 * order (a late record stays late). Each record's Kafka timestamp is its event time. Lines are written as they are, so a
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
        List<SourceDefinition> tableSources = new ArrayList<>();
        List<List<InputRecords.Record>> tables = new ArrayList<>();
        List<SourceDefinition> streamSources = new ArrayList<>();
        List<List<InputRecords.Record>> streams = new ArrayList<>();
        for (ReplayInput input : inputs) {
            // TABLE@2024-01-15T10:02:00Z=file: table updates written among the streams at that instant
            // (replay's syntax), so stream records before and after it see different table rows
            String[] nameAndTime = input.source().split("@", 2);
            SourceDefinition source = sources.get(nameAndTime[0].toLowerCase(Locale.ROOT));
            if (source == null) {
                throw new UsageException("--input " + input.source() + ": no such stream or table in the script"
                        + Suggestions.closest(nameAndTime[0], sources.keySet()).map(c -> "; did you mean `" + c + "`?")
                        .orElse(""));
            }
            List<InputRecords.Record> records = InputRecords.read(input, source);
            if (nameAndTime.length == 2) {
                long at = instant(input.source(), nameAndTime[1]);
                streamSources.add(source);
                streams.add(records.stream()
                        .map(r -> new InputRecords.Record(r.key(), r.value(), at, r.headers())).toList());
            } else if (source.kind() == SourceDefinition.Kind.TABLE) {
                tableSources.add(source);
                tables.add(records);
            } else {
                streamSources.add(source);
                streams.add(withoutEventTime(source, records, System.currentTimeMillis()));
            }
        }
        // A table without event time is written just before the first stream record: Kafka Streams
        // processes a task's partitions in timestamp order, so a table stamped "now" would reach a
        // join only after every (older) stream record had gone by unmatched. Replay loads tables first.
        long firstStream = streams.stream().flatMap(List::stream).mapToLong(InputRecords.Record::timestamp).min()
                .orElse(Long.MAX_VALUE);
        long tableTime = Math.min(System.currentTimeMillis(), firstStream == Long.MAX_VALUE ? Long.MAX_VALUE
                : firstStream - 1);
        List<Planned> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            SourceDefinition source = tableSources.get(i);
            withoutEventTime(source, tables.get(i), tableTime)
                    .forEach(r -> out.add(new Planned(source.format().topic(), r.key(), r.value(), r.timestamp(),
                            r.headers())));
        }
        InputRecords.mergeByEventTime(streams, (r, input) -> out.add(
                new Planned(streamSources.get(input).format().topic(), r.key(), r.value(), r.timestamp(),
                        r.headers())));
        return out;
    }

    /**
     * Records of a source without event time get {@code time}. Never timestamp 0 (1970): that is past
     * every topic's retention, so the broker could delete the records before the pipeline reads them.
     */
    private static List<InputRecords.Record> withoutEventTime(SourceDefinition source, List<InputRecords.Record> records,
                                                              long time) {
        if (source.rowtimeColumn().isPresent()) {
            return records;
        }
        return records.stream().map(r -> new InputRecords.Record(r.key(), r.value(), time, r.headers())).toList();
    }

    private static long instant(String spec, String instant) {
        try {
            return java.time.Instant.parse(instant).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--input " + spec + ": '" + instant + "' is not an instant like 2024-01-15T10:02:00Z");
        }
    }

    /** Writes the records, in order, and waits until the broker has them all; returns how many. */
    public static int produce(List<Planned> records, Properties streamsConfig) {
        try (KafkaProducer<byte[], byte[]> producer = open(streamsConfig)) {
            return send(producer, records);
        }
    }

    static KafkaProducer<byte[], byte[]> open(Properties streamsConfig) {
        return new KafkaProducer<>(ClientConfigs.producer(streamsConfig, "sluice-run-input"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Writes the records with {@code producer}, in order, and waits until the broker has them all. */
    static int send(KafkaProducer<byte[], byte[]> producer, List<Planned> records) {
        try {
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

    /**
     * The planned records cut where the topic changes: each phase is a run of consecutive records of
     * one topic. A run writes a phase only once the application has processed the previous ones
     * ({@link InputPhases}).
     */
    public static List<List<Planned>> phases(List<Planned> records) {
        List<List<Planned>> out = new ArrayList<>();
        List<Planned> current = new ArrayList<>();
        for (Planned r : records) {
            if (!current.isEmpty() && !current.get(current.size() - 1).topic().equals(r.topic())) {
                out.add(List.copyOf(current));
                current = new ArrayList<>();
            }
            current.add(r);
        }
        if (!current.isEmpty()) {
            out.add(List.copyOf(current));
        }
        return out;
    }
}

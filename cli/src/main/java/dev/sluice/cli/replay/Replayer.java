package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.UsageException;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.StreamsDefaults;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Runs a compiled script in Kafka Streams' TopologyTestDriver over JSON-lines files: no broker.
 *
 * <p>Tables load first, so every stream record sees them; {@code TABLE@<instant>} inputs are table
 * updates fed in event-time order with the streams, at that instant. Streams are merged by event time, while
 * each file keeps its own order (a late record stays late). After the input, replay treats the end
 * of the input as the end of time, as Flink does for a bounded source: every window still open is
 * closed and emitted, via the end-of-time heartbeats the topology was built with.
 */
public final class Replayer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record a query wrote to its sink topic, as bytes, in the order it was written. */
    public record SinkRecord(String query, byte[] key, byte[] value, long timestamp) {
    }

    private java.util.function.Consumer<SinkRecord> sinkRecords = r -> { };

    /**
     * Also hands every record the queries write to {@code records}, before it is decoded (a test on
     * a broker compares them with what the same script wrote there, key by key).
     */
    public Replayer recordingSinks(java.util.function.Consumer<SinkRecord> records) {
        this.sinkRecords = records;
        return this;
    }

    public ReplayResult replay(CompiledScript script, List<ReplayInput> inputs, boolean changelog) {
        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        for (SourceDefinition s : script.sources()) {
            sources.put(s.name().toLowerCase(java.util.Locale.ROOT), s);
        }
        Path stateDir = DriverRuns.stateDir("sluice-replay-");
        long badBefore = badRecordCount();
        long lateBefore = dev.sluice.runtime.errors.DroppedRecords.total(dev.sluice.runtime.errors.DropReason.LATE);
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), config(script, stateDir),
                Instant.EPOCH)) {
            Set<String> read = sourceTopics(script);
            // processing-time windows: the wall clock follows the records' event time (pipeStreams), so
            // an event time computed in the DDL is evaluated here too
            boolean wallClockFollowsInput = !dev.sluice.compiler.ProcessingTimeWindows.of(script).isEmpty();
            dev.sluice.runtime.expr.ExprCompiler computedTime = wallClockFollowsInput
                    ? new dev.sluice.runtime.expr.ExprCompiler(dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock())
                    : null;
            List<Feed> tables = new ArrayList<>();
            List<Feed> streams = new ArrayList<>();
            for (ReplayInput input : inputs) {
                // TABLE@2024-01-15T10:02:00Z=file: table updates fed when the streams reach that time,
                // so that stream records before and after it see different table rows.
                String[] nameAndTime = input.source().split("@", 2);
                SourceDefinition source = sources.get(nameAndTime[0].toLowerCase(java.util.Locale.ROOT));
                if (source == null) {
                    throw new UsageException("--input " + input.source() + ": no such stream or table in the script"
                            + hint(nameAndTime[0], sources.keySet()));
                }
                if (!read.contains(source.format().topic())) {
                    continue; // declared but read by no query: accepted and ignored
                }
                List<InputRecords.Record> records = InputRecords.read(input, source, computedTime);
                if (nameAndTime.length == 2) {
                    long at = at(input.source(), nameAndTime[1]);
                    streams.add(new Feed(source, records.stream()
                            .map(r -> new InputRecords.Record(r.key(), r.value(), at, r.headers())).toList()));
                    continue;
                }
                Feed feed = new Feed(source, records);
                (source.kind() == SourceDefinition.Kind.TABLE ? tables : streams).add(feed);
            }
            Serializer<byte[]> bytes = new ByteArraySerializer();
            for (Feed table : tables) {
                var topic = driver.createInputTopic(table.source.format().topic(), bytes, bytes);
                table.records.forEach(r -> topic.pipeInput(testRecord(r)));
            }
            pipeStreams(streams, driver, bytes, wallClockFollowsInput);
            for (String heartbeat : script.endOfTimeTopics()) {
                driver.createInputTopic(heartbeat, bytes, bytes).pipeInput(new byte[0], new byte[0], EndOfTime.TIMESTAMP);
            }
            List<ObjectNode> rows = new ArrayList<>();
            List<OutputRecord> decoded = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            var printed = script.printedQuery();
            if (printed.isPresent()) {
                CompiledQuery q = printed.get();
                if (changelog) {
                    columns.add(Changelog.OP);
                }
                columns.addAll(q.schema().names());
                rows.addAll(read(driver, q, changelog, null, decoded, sinkRecords));
                if (!changelog) {
                    // a changelog is in the order it happened; ORDER BY sorts the final rows
                    rows = OrderAndLimit.apply(rows, q);
                }
            } else {
                if (changelog) {
                    columns.add(Changelog.OP);
                }
                columns.add("_sink");
                for (CompiledQuery q : script.queries()) {
                    rows.addAll(read(driver, q, changelog, sinkName(script, q), decoded, sinkRecords));
                }
            }
            return new ReplayResult(columns, rows, badRecordCount() - badBefore,
                    dev.sluice.runtime.errors.DroppedRecords.total(dev.sluice.runtime.errors.DropReason.LATE) - lateBefore,
                    decoded);
        } finally {
            DriverRuns.deleteQuietly(stateDir);
        }
    }

    /** The stream or table a query writes (INSERT INTO's target, not the query's id). */
    private static String sinkName(CompiledScript script, CompiledQuery q) {
        return script.sources().stream().filter(s -> s.format().topic().equals(q.outputTopic()))
                .map(SourceDefinition::name).findFirst().orElse(q.id());
    }

    private static long at(String spec, String instant) {
        try {
            return Instant.parse(instant).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--input " + spec + ": '" + instant + "' is not an instant like 2024-01-15T10:02:00Z");
        }
    }

    private record Feed(SourceDefinition source, List<InputRecords.Record> records) {
    }

    /**
     * Streams, merged by event time as {@link InputRecords#mergeByEventTime} says. With
     * {@code wallClockFollowsInput} (a script with processing-time windows), the driver's wall clock
     * moves to each record's timestamp before the record, when that is later than the clock: the
     * input is replayed as if read at the pace it was written, so a processing-time window holds the
     * rows of its span of record time (a late record lands in the window of the latest time read
     * before it), and the rows are the same on every replay. Otherwise the wall clock stays at the
     * epoch, and the end of the input closes the open windows.
     */
    private static void pipeStreams(List<Feed> streams, TopologyTestDriver driver, Serializer<byte[]> bytes,
                                    boolean wallClockFollowsInput) {
        List<org.apache.kafka.streams.TestInputTopic<byte[], byte[]>> topics = new ArrayList<>();
        for (Feed f : streams) {
            topics.add(driver.createInputTopic(f.source.format().topic(), bytes, bytes));
        }
        long[] wallClock = {Instant.EPOCH.toEpochMilli()};
        InputRecords.mergeByEventTime(streams.stream().map(Feed::records).toList(), (r, input) -> {
            if (wallClockFollowsInput && r.timestamp() > wallClock[0]) {
                driver.advanceWallClockTime(java.time.Duration.ofMillis(r.timestamp() - wallClock[0]));
                wallClock[0] = r.timestamp();
            }
            topics.get(input).pipeInput(testRecord(r));
        });
    }

    static TestRecord<byte[], byte[]> testRecord(InputRecords.Record r) {
        return new TestRecord<>(r.key(), r.value(), r.headers(), r.timestamp());
    }

    private static List<ObjectNode> read(TopologyTestDriver driver, CompiledQuery q, boolean changelog, String sink,
                                         List<OutputRecord> decoded,
                                         java.util.function.Consumer<SinkRecord> sinkRecords) {
        FormatSpec format = q.plan().sink().orElseThrow();
        OutputDecoder decoder = new OutputDecoder(q, sink == null ? q.id() : sink);
        Serializer<Row> json = Formats.valueSerde(q.schema(), new FormatOptions(format.topic(), Map.of("format", "json")))
                .serializer();
        Deserializer<byte[]> raw = new ByteArrayDeserializer();
        List<TestRecord<byte[], byte[]>> records = driver.createOutputTopic(format.topic(), raw, raw).readRecordsToList();
        Map<Object, ObjectNode> latest = new LinkedHashMap<>();
        List<ObjectNode> appended = new ArrayList<>();
        Changelog log = new Changelog(q.table());
        int position = 0;
        for (TestRecord<byte[], byte[]> record : records) {
            sinkRecords.accept(new SinkRecord(q.id(), record.key(), record.value(), record.timestamp()));
            OutputRecord out = decoder.decode(record);
            decoded.add(out);
            Row key = out.key();
            Row value = out.row();
            ObjectNode node = null;
            if (value != null) {
                node = JSON.createObjectNode();
                if (sink != null) {
                    node.put("_sink", sink);
                }
                node.setAll(toObject(json.serialize(format.topic(), value)));
            }
            Object k = key != null ? key : position++;
            if (changelog) {
                log.add(k, node);
            } else if (!q.table()) {
                if (node != null) {
                    appended.add(node);
                }
            } else {
                latest.remove(k);
                if (node != null) {
                    latest.put(k, node);
                }
            }
        }
        return changelog ? log.rows() : q.table() ? new ArrayList<>(latest.values()) : appended;
    }

    private static ObjectNode toObject(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TopologyTestDriver settings for a replay of {@code script} (also used by the query API's evaluator). */
    public static Properties config(CompiledScript script, Path stateDir) {
        // the default handlers first: the script's on_error = 'fail' replaces them
        // (DriverRuns turns off the wall-clock throttle of EMIT FINAL by emitStrategy(onWindowClose()))
        return DriverRuns.config(StreamsDefaults.defaults(), script, stateDir, "replay:9092");
    }

    static Set<String> sourceTopics(CompiledScript script) {
        Set<String> topics = new java.util.HashSet<>();
        for (var global : script.topology().describe().globalStores()) {
            topics.addAll(global.source().topicSet());
        }
        for (var sub : script.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Source s) {
                    topics.addAll(s.topicSet());
                }
            }
        }
        return topics;
    }

    private static long badRecordCount() {
        return dev.sluice.runtime.errors.DroppedRecords.bad();
    }

    private static String hint(String name, java.util.Collection<String> names) {
        return Suggestions.closest(name, names).map(c -> "; did you mean `" + c + "`?").orElse("");
    }
}

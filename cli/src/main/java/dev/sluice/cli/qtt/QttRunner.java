package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.replay.DriverRuns;
import dev.sluice.cli.replay.OutputDecoder;
import dev.sluice.cli.replay.OutputRecord;
import dev.sluice.cli.replay.RecordEnvelope;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.RecordKeyColumns;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one QTT case as ksqlDB's own test runner does: the statements compiled as one script, the
 * inputs piped in the order written (each with its key, value, timestamp and headers) into
 * TopologyTestDriver, and each output topic's records compared in order with the expected ones:
 * key, value, and the timestamp and window where the case gives them. An expected exception passes
 * when compiling or running fails with ksqlDB's message (see {@link ExpectedError}).
 */
public final class QttRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The result of one case: passed or not, and why not. */
    public record Outcome(QttCase testCase, boolean passed, String detail) {
    }

    private static final java.util.concurrent.atomic.AtomicLong CASES = new java.util.concurrent.atomic.AtomicLong();

    public Outcome run(QttCase c) {
        // ksqlDB's runner gives every case an empty in-memory Schema Registry; so does this one.
        String registry = "qtt-" + CASES.incrementAndGet();
        try {
            return run(c, registry);
        } finally {
            dev.sluice.serdes.format.avro.MockSchemaRegistry.drop(registry);
        }
    }

    private Outcome run(QttCase c, String registry) {
        registerTopicSchemas(c, registry);
        StringBuilder sets = new StringBuilder("SET 'ksql.schema.registry.url' = 'mock://" + registry + "'; ");
        // the case's ksqlDB settings, as ksqlDB's runner gives them to its engine: SETs before the statements
        c.properties().forEach((k, v) -> sets.append("SET '").append(k.replace("'", "''")).append("' = '")
                .append(v.replace("'", "''")).append("'; "));
        String set = sets.toString();
        String sql = set + String.join("\n", c.statements());
        CompiledScript script;
        try {
            script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                    .compile(sql, "qtt", BuildOptions.PRODUCTION);
        } catch (RuntimeException e) {
            return c.expectedException().isPresent() ? failedAsExpected(c, e, set.length())
                    : new Outcome(c, false, "does not compile: " + message(e));
        }
        try {
            Map<String, List<OutputRecord>> actual = execute(script, c);
            if (c.expectedException().isPresent()) {
                return new Outcome(c, false, "expected an error (" + c.expectedException().get() + ") but ran");
            }
            return compare(c, actual);
        } catch (RuntimeException e) {
            return c.expectedException().isPresent() ? failedAsExpected(c, e, set.length())
                    : new Outcome(c, false, "error: " + message(e));
        }
    }

    /**
     * An error was expected and one happened: it passes when its message is ksqlDB's. {@code shift}:
     * the length of the SET this runner wrote before the case's first statement, so that a position
     * on line 1 is counted from the case's own text, as ksqlDB counts it.
     */
    private static Outcome failedAsExpected(QttCase c, RuntimeException e, int shift) {
        return ExpectedError.of(c.expectedException().get()).mismatch(e, shift, String.join("\n", c.statements()))
                .map(why -> new Outcome(c, false, "failed, but not as expected: " + why))
                .orElseGet(() -> new Outcome(c, true, "failed as expected: " + message(e)));
    }

    /**
     * The case's declared AVRO and PROTOBUF schemas, registered under the topic's subjects as ksqlDB's
     * runner does (PROTOBUF with its references, and under the id the case gives, if any).
     */
    private static void registerTopicSchemas(QttCase c, String registry) {
        var client = dev.sluice.serdes.format.avro.MockSchemaRegistry.scope(registry);
        Map<String, Integer> ids = KsqlSchemaIdOrder.ids(c.topics(), c.statements(), c.properties());
        for (JsonNode topic : c.topics()) {
            String name = topic.path("name").asText();
            for (boolean isKey : new boolean[]{true, false}) {
                String side = isKey ? "key" : "value";
                JsonNode schema = topic.get(side + "Schema");
                String format = topic.path(side + "Format").asText();
                if (schema == null || schema.isNull()) {
                    continue;
                }
                String subject = dev.sluice.serdes.format.avro.SchemaRegistryClient.subject(name, isKey);
                // the id ksqlDB's runner gives it, then (if the case names one) the case's own id too
                java.util.List<Integer> schemaIds = new java.util.ArrayList<>();
                if (ids.containsKey(subject)) {
                    schemaIds.add(ids.get(subject));
                }
                JsonNode named = topic.get(side + "SchemaId");
                if (named != null && named.canConvertToInt()) {
                    schemaIds.add(named.asInt());
                }
                try {
                    if ("AVRO".equalsIgnoreCase(format) || format.isEmpty()) {
                        // ksqlDB's runner writes the node out as JSON ("int" is the text "\"int\""); no format is AVRO
                        var parsed = new org.apache.avro.Schema.Parser().parse(schema.toString());
                        schemaIds.forEach(id -> client.register(subject, parsed, id));
                    } else if ("JSON".equalsIgnoreCase(format) || "JSON_SR".equalsIgnoreCase(format)) {
                        // ksqlDB's runner reads a JSON or JSON_SR topic's schema as a JSON Schema
                        var registered = new dev.sluice.serdes.format.avro.TextSchema("JSON", schema.toString(), Map.of());
                        schemaIds.forEach(id -> client.register(subject, registered, id));
                    } else if ("PROTOBUF".equalsIgnoreCase(format)) {
                        String text = schema.isTextual() ? schema.asText() : schema.toString();
                        Map<String, String> references = new LinkedHashMap<>();
                        topic.path(side + "SchemaReferences").forEach(r -> references.put(r.path("name").asText(),
                                r.path("schema").asText()));
                        var registered = new dev.sluice.serdes.format.avro.TextSchema("PROTOBUF", text, references);
                        schemaIds.forEach(id -> client.register(subject, registered, id));
                    }
                } catch (RuntimeException e) {
                    // a schema that cannot be read: the case then fails on its own, with the compile error
                }
            }
        }
    }

    private static String message(Throwable e) {
        if (System.getenv("SLUICE_QTT_TRACE") != null) {
            e.printStackTrace(); // for whoever chases a case's internal error: the one-line reason hides where
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private Map<String, List<OutputRecord>> execute(CompiledScript script, QttCase c) {
        Path stateDir = DriverRuns.stateDir("sluice-test-");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), config(script, stateDir),
                Instant.EPOCH)) {
            ByteArraySerializer bytes = new ByteArraySerializer();
            for (JsonNode input : c.inputs()) {
                String topic = input.path("topic").asText();
                SourceDefinition source = script.sources().stream()
                        .filter(s -> s.format().topic().equals(topic)).findFirst().orElse(null);
                if (source == null || !readsTopic(script, topic)) {
                    continue; // a topic no query reads
                }
                RecordEnvelope record = RecordEnvelope.of(input);
                RecordKeyColumns split = new RecordKeyColumns(source.schema(), source.recordKeyIndexes());
                byte[] value = input.has("value") ? record.valueBytes(source, split) : null;
                byte[] key = record.keyBytes(source, split);
                var window = dev.sluice.runtime.plan.WindowedSource.of(source.format());
                if (window.isPresent() && input.has("window")) {
                    // a windowed source's key carries the window (Kafka Streams' windowed key layout)
                    JsonNode w = input.get("window");
                    key = dev.sluice.runtime.build.WindowedKeys.withWindow(key, w.path("start").asLong(),
                            w.path("end").asLong(), window.get());
                }
                driver.createInputTopic(topic, bytes, bytes).pipeInput(new TestRecord<>(
                        key, value, record.headers(), record.timestamp().orElse(0L)));
            }
            Map<String, List<OutputRecord>> out = new LinkedHashMap<>();
            ByteArrayDeserializer raw = new ByteArrayDeserializer();
            for (CompiledQuery q : script.queries()) {
                if (!q.persistent() || out.containsKey(q.outputTopic())) {
                    continue;
                }
                OutputDecoder decoder = new OutputDecoder(q, q.outputTopic());
                List<OutputRecord> records = new ArrayList<>();
                for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(q.outputTopic(), raw, raw).readRecordsToList()) {
                    records.add(withRawValue(decoder.decode(r), r, q));
                }
                out.put(q.outputTopic(), records);
            }
            return out;
        } finally {
            DriverRuns.deleteQuietly(stateDir);
        }
    }

    /** Text formats (DELIMITED, KAFKA strings) are compared as the text written, as QTT gives them. */
    private static OutputRecord withRawValue(OutputRecord r, TestRecord<byte[], byte[]> raw, CompiledQuery q) {
        var format = q.plan().sink().orElseThrow();
        FormatOptions options = new FormatOptions(format.topic(), format.properties());
        String name = Formats.valueFormatName(options);
        String keyFormat = raw.key() == null ? "" : Formats.keyFormatName(q.keySchema(), options);
        java.util.Optional<JsonNode> registered = RegisteredSinkValues.read(format.topic(), format.properties(), raw.value());
        if (registered.isPresent()) {
            r = new OutputRecord(r.sink(), r.key(), r.window(), r.timestamp(), r.row(), r.keyJson(), registered.get());
        }
        if (keyFormat.equals("delimited") && r.keyJson() != null && !r.keyJson().isNull()) {
            // a DELIMITED key is text on the wire ("a,1" for two columns), and QTT writes it as text
            r = new OutputRecord(r.sink(), r.key(), r.window(), r.timestamp(), r.row(),
                    JSON.getNodeFactory().textNode(new String(raw.key(), StandardCharsets.UTF_8)), r.valueJson());
        }
        if (raw.value() != null && (name.startsWith("json") || name.equals("avro")) && q.schema().size() - q.plan().sinkKeyColumns().size() == 1
                && !dev.sluice.serdes.format.OptionKeys.flag(options, true, "wrap_single_value")
                && r.valueJson().isObject() && r.valueJson().size() == 1) {
            // WRAP_SINGLE_VALUE=false: the record is the one column's value (JSON, AVRO), and QTT writes it so
            return new OutputRecord(r.sink(), r.key(), r.window(), r.timestamp(), r.row(), r.keyJson(),
                    r.valueJson().elements().next());
        }
        if (keyFormat.startsWith("protobuf") && r.key() != null && r.key().size() == 1 && !r.keyJson().isObject()) {
            // a PROTOBUF key is always a message: ksqlDB shows even one key column as an object
            var object = JSON.createObjectNode();
            var keySchema = q.plan().sinkKeyColumns().isEmpty() ? q.keySchema()
                    : new RecordKeyColumns(q.schema(), q.plan().sinkKeyColumns()).keySchema();
            object.set(keySchema.column(0).name(), r.keyJson());
            r = new OutputRecord(r.sink(), r.key(), r.window(), r.timestamp(), r.row(), object, r.valueJson());
        }
        if (raw.value() == null || name.startsWith("json") || name.equals("avro") || name.startsWith("protobuf")) {
            return r;
        }
        JsonNode value = r.valueJson();
        if (name.equals("delimited") || name.equals("csv")) {
            value = JSON.getNodeFactory().textNode(new String(raw.value(), StandardCharsets.UTF_8));
        } else if (value.isObject() && value.size() == 1) {
            value = value.elements().next();
        }
        return new OutputRecord(r.sink(), r.key(), r.window(), r.timestamp(), r.row(), r.keyJson(), value);
    }

    private static boolean readsTopic(CompiledScript script, String topic) {
        for (var sub : script.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Source s
                        && s.topicSet().contains(topic)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Outcome compare(QttCase c, Map<String, List<OutputRecord>> actual) {
        Map<String, List<JsonNode>> expected = new LinkedHashMap<>();
        for (JsonNode o : c.outputs()) {
            expected.computeIfAbsent(o.path("topic").asText(), t -> new ArrayList<>()).add(o);
        }
        for (var e : expected.entrySet()) {
            List<OutputRecord> got = actual.get(e.getKey());
            if (got == null) {
                return new Outcome(c, false, "no query writes topic " + e.getKey() + " (sinks: " + actual.keySet() + ")");
            }
            for (int i = 0; i < Math.max(e.getValue().size(), got.size()); i++) {
                if (i >= got.size()) {
                    return new Outcome(c, false, e.getKey() + ": expected " + e.getValue().size() + " records, got "
                            + got.size() + "; first missing: " + e.getValue().get(i));
                }
                if (i >= e.getValue().size()) {
                    return new Outcome(c, false, e.getKey() + ": expected " + e.getValue().size() + " records, got "
                            + got.size() + "; first extra: " + show(got.get(i)));
                }
                String diff = JsonMatch.difference(e.getValue().get(i), got.get(i));
                if (diff != null) {
                    return new Outcome(c, false, e.getKey() + " record " + (i + 1) + ": " + diff + "; expected "
                            + e.getValue().get(i) + ", got " + show(got.get(i)));
                }
            }
        }
        return new Outcome(c, true, "");
    }

    static String show(OutputRecord r) {
        return dev.sluice.cli.replay.RecordRenderer.render(r).toString();
    }

    private static Properties config(CompiledScript script, Path stateDir) {
        Properties handlers = new Properties();
        handlers.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                SluiceExceptionHandlers.Deserialization.class.getName());
        handlers.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                SluiceExceptionHandlers.Processing.class.getName());
        // ksqlDB's test runner turns the record cache off too (DriverRuns does): every update is an output record.
        Properties props = DriverRuns.config(handlers, script, stateDir, "qtt:9092");
        props.put("processing.exception.handler.global.enabled", "true");
        return props;
    }
}

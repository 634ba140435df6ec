package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.replay.OrderAndLimit;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the evaluation script of one SELECT in Kafka Streams' TopologyTestDriver: records go in by
 * topic, the SELECT's rows come out. A pull query feeds everything, ends the input and folds the
 * output to its final rows; a push query keeps the driver and feeds it change by change.
 */
final class SelectEvaluator implements AutoCloseable {
    /** One output change: a row, or the deletion of the row with that key. */
    record Change(Bytes key, ArrayNode row) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CompiledScript script;
    private final CompiledQuery query;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final TestOutputTopic<byte[], byte[]> output;
    private final Deserializer<Row> values;
    private final Serializer<Row> json;
    private final java.util.Set<String> readTopics = new java.util.HashSet<>();
    /** The columns the user asked for; those after them are sort keys only (see {@link HiddenOrderColumns}). */
    private final int visibleColumns;

    SelectEvaluator(EvaluationScript.Compiled compiled) {
        this.script = compiled.script();
        this.query = compiled.query();
        this.visibleColumns = compiled.visibleColumns();
        try {
            this.stateDir = Files.createTempDirectory("sluice-serve-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.driver = new TopologyTestDriver(script.topology(),
                dev.sluice.cli.replay.Replayer.config(script, stateDir), Instant.now());
        for (var sub : script.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Source src && src.topicSet() != null) {
                    readTopics.addAll(src.topicSet());
                }
            }
        }
        for (var global : script.topology().describe().globalStores()) {
            readTopics.addAll(global.source().topicSet());
        }
        FormatSpec format = query.plan().sink().orElseThrow();
        this.output = driver.createOutputTopic(format.topic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.values = new FormatSerdeFactory().value(query.schema(), format).deserializer();
        this.json = Formats.valueSerde(query.schema(), new FormatOptions(format.topic(), Map.of("format", "json"))).serializer();
    }

    CompiledQuery query() {
        return query;
    }

    /** Feeds one record; a topic the SELECT does not read is ignored. */
    void pipe(String topic, byte[] key, byte[] value, long timestamp) {
        if (!readTopics.contains(topic)) {
            return;
        }
        inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
                .pipeInput(key, value, timestamp);
    }

    /** The bounded input is complete: close every window still open, as replay does. */
    void endOfInput() {
        for (String heartbeat : script.endOfTimeTopics()) {
            pipe(heartbeat, new byte[0], new byte[0], dev.sluice.runtime.build.EndOfTime.TIMESTAMP);
        }
    }

    List<Change> drain() {
        return changes().stream().map(c -> new Change(c.key(), c.row() == null ? null : visible(c.row()))).toList();
    }

    /** Output changes with every column, sort keys included. */
    private List<Change> changes() {
        List<Change> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : output.readRecordsToList()) {
            out.add(new Change(r.key() == null ? null : Bytes.wrap(r.key()), r.value() == null ? null : row(r.value())));
        }
        return out;
    }

    private ArrayNode visible(ArrayNode row) {
        if (row.size() == visibleColumns) {
            return row;
        }
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < visibleColumns; i++) {
            out.add(row.get(i));
        }
        return out;
    }

    /** The final rows: a table's current row per key, or every row of a stream; then ORDER BY and LIMIT. */
    List<ArrayNode> result() {
        List<Change> changes = changes();
        List<ObjectNode> rows = new ArrayList<>();
        if (query.table()) {
            Map<Object, ArrayNode> latest = new LinkedHashMap<>();
            for (Change c : changes) {
                // a table without key columns (a global aggregate) has one row
                Object k = c.key() != null ? c.key() : "";
                latest.remove(k);
                if (c.row() != null) {
                    latest.put(k, c.row());
                }
            }
            latest.values().forEach(r -> rows.add(object(r)));
        } else {
            changes.stream().filter(c -> c.row() != null).forEach(c -> rows.add(object(c.row())));
        }
        return OrderAndLimit.apply(rows, query).stream().map(this::array).map(this::visible).toList();
    }

    private ArrayNode row(byte[] value) {
        Row row = values.deserialize(query.outputTopic(), value);
        try {
            JsonNode node = JSON.readTree(json.serialize(query.outputTopic(), row));
            return array((ObjectNode) node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrayNode array(ObjectNode node) {
        ArrayNode out = JSON.createArrayNode();
        for (String name : query.schema().names()) {
            out.add(node.has(name) ? node.get(name) : JSON.nullNode());
        }
        return out;
    }

    private ObjectNode object(ArrayNode row) {
        ObjectNode out = JSON.createObjectNode();
        List<String> names = query.schema().names();
        for (int i = 0; i < names.size(); i++) {
            out.set(names.get(i), row.get(i));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            try (var walk = Files.walk(stateDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}

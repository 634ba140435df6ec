package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.RecordKeyColumns;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An input line that spells out a whole Kafka record:
 * {@code {"key": ..., "value": ... or null, "timestamp": ..., "headers": ...}}. A line is an envelope
 * when it is a JSON object with a {@code value} field, every field is one of those four, and at
 * least one of them is not a column of the source (so a plain value with columns named
 * {@code key} and {@code value} stays a plain value). Key and value are written in the source's
 * key and value formats; a JSON string stands for itself in a text format (DELIMITED, KAFKA).
 * Headers are an object of name to text, or ksqlDB's list of {@code {"KEY": name, "VALUE": base64}}.
 */
public record RecordEnvelope(Optional<JsonNode> key, JsonNode value, OptionalLong timestamp, Headers headers) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("key", "value", "timestamp", "headers");

    static Optional<RecordEnvelope> parse(String line, SourceDefinition source) {
        String t = line.strip();
        if (!t.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(t);
        } catch (Exception notJson) {
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode o) || !o.has("value")) {
            return Optional.empty();
        }
        boolean someFieldIsNoColumn = false;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                return Optional.empty();
            }
            someFieldIsNoColumn |= source.schema().indexOf(f).isEmpty();
        }
        if (!someFieldIsNoColumn) {
            return Optional.empty();
        }
        return Optional.of(of(o));
    }

    /** A record given as JSON fields: key, value, timestamp and headers (each may be missing). */
    public static RecordEnvelope of(JsonNode o) {
        JsonNode ts = o.get("timestamp");
        JsonNode value = o.get("value");
        return new RecordEnvelope(Optional.ofNullable(o.get("key")).filter(k -> !k.isNull()),
                value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value,
                ts == null || ts.isNull() ? OptionalLong.empty() : OptionalLong.of(ts.asLong()), headers(o.get("headers")));
    }

    /** The value in the source's value format; null for a tombstone. */
    public byte[] valueBytes(SourceDefinition source, RecordKeyColumns split) {
        if (value.isNull()) {
            return null;
        }
        FormatOptions options = new FormatOptions(source.format().topic(), source.format().properties());
        // ksqlDB's header columns are not in the value: they are read from the record's headers
        var headers = dev.sluice.runtime.plan.HeaderColumns.of(source.format()).byColumn().keySet();
        Schema payload = new Schema(split.valueSchema().columns().stream()
                .filter(c -> !headers.contains(c.name().toUpperCase(java.util.Locale.ROOT))).toList());
        return encode(value, payload, options, Formats.valueFormatName(options), false);
    }

    /** The key in the source's key format (null when absent). */
    public byte[] keyBytes(SourceDefinition source, RecordKeyColumns split) {
        if (key.isEmpty()) {
            return null;
        }
        JsonNode k = key.get();
        FormatOptions options = new FormatOptions(source.format().topic(), source.format().properties());
        if (split.isEmpty()) {
            return k.isTextual() ? k.asText().getBytes(StandardCharsets.UTF_8) : k.toString().getBytes(StandardCharsets.UTF_8);
        }
        Schema keySchema = split.keySchema();
        return encode(k, keySchema, options, Formats.keyFormatName(keySchema, options), true);
    }

    /**
     * JSON text for JSON formats, the string itself for a JSON string in a text format, else the
     * value read as a row and written by the format's own serializer (Avro, KAFKA numbers).
     */
    private static byte[] encode(JsonNode node, Schema schema, FormatOptions options, String format, boolean isKey) {
        if (format.startsWith("json")) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
        // a KAFKA BYTES value is given as base64 text (as JSON carries bytes): the row path decodes it
        boolean kafkaBytes = schema.size() == 1 && schema.column(0).type() == dev.sluice.serdes.row.ScalarType.BYTES;
        if (node.isTextual() && (format.equals("delimited") || format.equals("csv")
                || (format.equals("kafka") && !isKey && !kafkaBytes))) {
            return node.asText().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode object = node;
        if (!node.isObject() || schema.size() == 1 && !hasFieldIgnoringCase(node, schema.column(0).name())) {
            ObjectNode wrap = JSON.createObjectNode();
            wrap.set(schema.column(0).name(), node);
            object = wrap;
        }
        Row row = Formats.valueSerde(schema, new FormatOptions(options.topic(), Map.of("format", "json")))
                .deserializer().deserialize(options.topic(), object.toString().getBytes(StandardCharsets.UTF_8));
        FormatSerdeFactory serdes = new FormatSerdeFactory();
        var spec = new dev.sluice.runtime.plan.FormatSpec(options.topic(), options.properties());
        return (isKey ? serdes.key(schema, spec) : serdes.value(schema, spec)).serializer().serialize(options.topic(), row);
    }

    /** JSON fields match columns ignoring case, as the JSON reader matches them. */
    private static boolean hasFieldIgnoringCase(JsonNode object, String name) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            if (it.next().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static Headers headers(JsonNode node) {
        RecordHeaders headers = new RecordHeaders();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (node.isArray()) {
            for (JsonNode h : node) {
                String name = text(h, "KEY", "key");
                JsonNode v = h.has("VALUE") ? h.get("VALUE") : h.get("value");
                headers.add(name, v == null || v.isNull() ? null : Base64.getDecoder().decode(v.asText()));
            }
        } else {
            node.fields().forEachRemaining(e -> headers.add(e.getKey(),
                    e.getValue().isNull() ? null : e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        }
        return headers;
    }

    private static String text(JsonNode h, String... names) {
        for (String n : names) {
            if (h.has(n)) {
                return h.get(n).asText();
            }
        }
        throw new IllegalArgumentException("a header needs a KEY: " + h);
    }
}

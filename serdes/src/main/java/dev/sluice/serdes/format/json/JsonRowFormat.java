package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/**
 * JSON objects ↔ rows ({@code format = 'json'} or {@code 'jsonl'}: one object per record).
 *
 * <p>Reading: fields match columns by exact name, else ignoring case; a missing field is NULL; unknown
 * fields are ignored. TIMESTAMP takes ISO-8601 with or without offset (none means UTC),
 * {@code yyyy-MM-dd HH:mm:ss[.fff]} (UTC) or epoch millis; DATE takes {@code yyyy-MM-dd} or epoch
 * days; DECIMAL takes a number or numeric string, exactly (no detour through double); BYTES is base64.
 *
 * <p>Writing: columns in schema order, NULL as JSON null, TIMESTAMP as {@code 2024-01-15T10:00:03.457Z},
 * DATE as {@code 2024-01-15}, DECIMAL as a plain JSON number ({@code 1000.50}, never {@code 1.0005E+3}).
 *
 * <p>Strict mode ({@code 'json.strict' = 'true'}, or {@code format = 'json_sr'}): a registry-free schema
 * check. Unknown fields, NULL or missing NOT NULL columns and type coercions (a string in a numeric
 * column, a number in a text column) are errors. {@code json_sr} also skips the 5-byte Confluent
 * header (magic byte 0 + schema id) that Confluent's JSON Schema serializer puts before the JSON
 * text, without contacting a registry; it writes plain JSON. A {@code json_sr} anonymous value
 * ({@code wrap_single_value = false}) coerces as ksqlDB's JSON_SR does.
 */
public final class JsonRowFormat implements RowFormat {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final String name;
    private final boolean alwaysStrict;
    private final boolean skipConfluentHeader;

    private JsonRowFormat(String name, boolean alwaysStrict, boolean skipConfluentHeader) {
        this.name = name;
        this.alwaysStrict = alwaysStrict;
        this.skipConfluentHeader = skipConfluentHeader;
    }

    public static JsonRowFormat json() {
        return new JsonRowFormat("json", false, false);
    }

    public static JsonRowFormat jsonStrict() {
        return new JsonRowFormat("json_sr", true, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        boolean strict = alwaysStrict || OptionKeys.flag(options, false, "json.strict", "json_strict");
        boolean unwrapped = isKey ? OptionKeys.unwrappedSingleKey(options)
                : !OptionKeys.flag(options, true, "wrap_single_value");
        if (schema.size() == 1 && unwrapped) {
            // json_sr's anonymous value reads as ksqlDB's JSON_SR reads it: a number or boolean in a
            // STRING (or ARRAY<STRING>) is its text; json.strict keeps refusing coercions
            boolean anonymousStrict = strict && !(alwaysStrict && !isKey);
            return Serdes.serdeFrom(anonymousSerializer(schema, OptionKeys.numericTemporals(options)),
                    anonymousDeserializer(schema, anonymousStrict));
        }
        return Serdes.serdeFrom(serializer(schema, OptionKeys.numericTemporals(options)), deserializer(schema, strict));
    }

    /**
     * Projected reading: only {@code read} of each object is built (see {@link JsonObjectReader}).
     * Strict mode and the anonymous single-value form read everything, as {@link #serde} does.
     */
    @Override
    public Serde<Row> valueSerde(Schema schema, FormatOptions options, ReadFields read) {
        Serde<Row> full = serde(schema, options, false);
        boolean strict = alwaysStrict || OptionKeys.flag(options, false, "json.strict", "json_strict");
        boolean unwrapped = !OptionKeys.flag(options, true, "wrap_single_value");
        if (read.isAll() || strict || schema.size() == 1 && unwrapped) {
            return full;
        }
        return Serdes.serdeFrom(full.serializer(), deserializer(schema, false, read));
    }

    /**
     * ksqlDB's {@code WRAP_SINGLE_VALUE=false}, and its keys of one column: the one column's value is
     * the whole record ({@code 10}, not {@code {"V": 10}}); a JSON null is a tombstone (or a NULL key).
     */
    private Serializer<Row> anonymousSerializer(Schema schema, boolean numericTemporals) {
        JsonValueWriter writer = JsonWriters.forType(schema.type(0), numericTemporals);
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            ByteArrayBuilder out = new ByteArrayBuilder(64);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                if (row.get(0) == null) {
                    g.writeNull();
                } else {
                    writer.write(g, row.get(0));
                }
            } catch (IOException | ClassCastException e) {
                throw new SerializationException("cannot write " + row + " as JSON: " + e.getMessage());
            }
            return out.toByteArray();
        };
    }

    private Deserializer<Row> anonymousDeserializer(Schema schema, boolean strict) {
        JsonValueReader reader = JsonReaders.forType(schema.type(0), schema.column(0).name(), strict);
        return parsing((p, first) -> first == null || first == JsonToken.VALUE_NULL ? null
                : new Row(new Object[]{reader.read(p)}));
    }

    /** Reads one record's row from its first token on (null: the record has no token). */
    @FunctionalInterface
    private interface RecordReader {
        Row read(JsonParser parser, JsonToken first) throws IOException;
    }

    /**
     * A deserializer that skips a Confluent header when this format has one, hands the record's
     * parser to {@code body} and turns a JSON error into a {@link SerializationException} (the
     * pipeline dead-letters the record with it); a null record is a tombstone.
     */
    private Deserializer<Row> parsing(RecordReader body) {
        boolean skipHeader = skipConfluentHeader;
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            int offset = skipHeader && data.length >= 5 && data[0] == 0 ? 5 : 0;
            try (JsonParser p = FACTORY.createParser(data, offset, data.length - offset)) {
                return body.read(p, p.nextToken());
            } catch (JsonProcessingException e) {
                throw new SerializationException(JsonErrors.invalidJson(e));
            } catch (IOException e) {
                throw new SerializationException("invalid JSON: " + e.getMessage());
            }
        };
    }

    public Serializer<Row> serializer(Schema schema) {
        return serializer(schema, false);
    }

    /** {@code numericTemporals}: TIMESTAMP and DATE as numbers (ksqlDB), else ISO-8601 text. */
    public Serializer<Row> serializer(Schema schema, boolean numericTemporals) {
        JsonWriters.JsonRowWriter writer = new JsonWriters.JsonRowWriter(schema.columns(), numericTemporals);
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            ByteArrayBuilder out = new ByteArrayBuilder(256);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                writer.write(g, row);
            } catch (IOException | ClassCastException e) {
                throw new SerializationException("cannot write row " + row + " as JSON with schema " + schema
                        + ": " + e.getMessage());
            }
            return out.toByteArray();
        };
    }

    public Deserializer<Row> deserializer(Schema schema, boolean strict) {
        return deserializer(schema, strict, ReadFields.ALL);
    }

    /** Rows of {@code schema} with only {@code read} built; the other columns are skipped and NULL. */
    public Deserializer<Row> deserializer(Schema schema, boolean strict, ReadFields read) {
        JsonObjectReader reader = new JsonObjectReader(schema.columns(), "", strict, read);
        return parsing((p, first) -> {
            if (first == null) {
                throw new SerializationException("invalid JSON: empty record");
            }
            if (first == JsonToken.VALUE_NULL) {
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new SerializationException("expected a JSON object, got " + JsonErrors.render(p));
            }
            Row row = reader.read(p);
            if (p.nextToken() != null) {
                throw new SerializationException("invalid JSON: more data after the object");
            }
            return row;
        });
    }
}

package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AVRO with a schema someone registered: a sink's {@code value_schema_id} (written with that id and
 * that shape: defaults and NULLs for fields no column fills, an error for a required one), and
 * ksqlDB's anonymous STRUCT value ({@code WRAP_SINGLE_VALUE=false}: the record is the struct).
 */
class AvroRegisteredSchemaTest {
    private static final String SCOPE = "avro-registered";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    private static Serde<Row> serde(Schema schema, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("value_format", "avro", "schema_registry_url", "mock://" + SCOPE));
        props.putAll(extra);
        return Formats.valueSerde(schema, new FormatOptions("out", props));
    }

    private static int register(String json) {
        return MockSchemaRegistry.scope(SCOPE).register("out-value", new org.apache.avro.Schema.Parser().parse(json));
    }

    /** The record as a reader of the registered schema sees it. */
    private static GenericRecord read(byte[] bytes, int id) throws IOException {
        assertEquals(id, ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff));
        org.apache.avro.Schema writer = MockSchemaRegistry.scope(SCOPE).schemaById(id);
        return new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    }

    @Test
    void aValueSchemaId_writesThatIdAndShape_fillingOtherFieldsWithDefaultsOrNull() throws IOException {
        int id = register("{\"type\":\"record\",\"name\":\"blah\",\"fields\":[{\"name\":\"c1\",\"type\":\"int\"},"
                + "{\"name\":\"opt\",\"type\":[\"null\",\"int\"],\"default\":null},"
                + "{\"name\":\"dflt\",\"type\":\"int\",\"default\":100},"
                + "{\"name\":\"s\",\"type\":{\"type\":\"record\",\"name\":\"inner\",\"fields\":["
                + "{\"name\":\"n\",\"type\":\"int\",\"default\":0},{\"name\":\"t\",\"type\":\"string\"}]}}]}");
        Schema columns = Schema.of(new Column("c1", ScalarType.INTEGER), new Column("s",
                new StructType(List.of(new Column("n", ScalarType.INTEGER), new Column("t", ScalarType.VARCHAR)))));
        Serde<Row> serde = serde(columns, Map.of("value_schema_id", Integer.toString(id)));
        byte[] bytes = serde.serializer().serialize("out", Row.of(4, Row.of(null, "x")));
        GenericRecord r = read(bytes, id);
        assertEquals(4, r.get("c1"));
        assertNull(r.get("opt"));
        assertEquals(100, r.get("dflt"));
        assertEquals(0, ((GenericRecord) r.get("s")).get("n")); // NULL into a required field with a default
        assertEquals("x", ((GenericRecord) r.get("s")).get("t").toString());
        assertEquals(Row.of(4, Row.of(0, "x")), serde.deserializer().deserialize("out", bytes));
    }

    @Test
    void aRequiredFieldWithoutDefaultThatNoColumnFills_isASerializationError() {
        int id = register("{\"type\":\"record\",\"name\":\"blah\",\"fields\":[{\"name\":\"c1\",\"type\":\"int\"},"
                + "{\"name\":\"c2\",\"type\":\"double\"}]}");
        Serde<Row> serde = serde(Schema.of(new Column("c1", ScalarType.INTEGER)), Map.of("value_schema_id", Integer.toString(id)));
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize("out", Row.of(4)));
        assertTrue(e.getMessage().contains("Unable to serialize record: field 'c2'"), e.getMessage());
    }

    @Test
    void anAnonymousStructValue_isTheStructsOwnRecord_bothWays() throws IOException {
        Schema columns = Schema.of(new Column("FOO", new StructType(List.of(new Column("F0", ScalarType.INTEGER)))));
        Serde<Row> serde = serde(columns, Map.of("wrap_single_value", "false"));
        byte[] bytes = serde.serializer().serialize("out", Row.of(Row.of(1)));
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        GenericRecord r = read(bytes, id);
        assertEquals(1, r.get("F0"));
        assertEquals(Row.of(Row.of(1)), serde.deserializer().deserialize("out", bytes));
        assertNull(serde.serializer().serialize("out", Row.of((Object) null)));
        // another producer's record named otherwise: still the struct, whatever its fields are called
        int other = register("{\"type\":\"record\",\"name\":\"most_recent\",\"fields\":[{\"name\":\"F0\",\"type\":[\"null\",\"int\"]}]}");
        Serde<Row> withId = serde(columns, Map.of("wrap_single_value", "false"));
        byte[] framed = serde(Schema.of(new Column("F0", ScalarType.INTEGER)),
                Map.of("value_schema_id", Integer.toString(other))).serializer().serialize("out", Row.of(7));
        assertEquals(Row.of(Row.of(7)), withId.deserializer().deserialize("out", framed));
    }
}

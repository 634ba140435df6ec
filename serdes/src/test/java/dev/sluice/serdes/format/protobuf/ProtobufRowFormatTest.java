package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.avro.MockSchemaRegistry;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * PROTOBUF (Confluent wire format, schemas in a registry) and PROTOBUF_NOSR through the format registry,
 * with an in-memory Schema Registry: header bytes, the schema text ksqlDB registers for the same
 * columns (the texts are ksqlDB's, from its QTT expectations and historical plans), message indexes.
 */
class ProtobufRowFormatTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String SCOPE = "protobuf-format-test";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    private static Serde<Row> serde(Schema schema, String format, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("format", format, "schema_registry_url", "mock://" + SCOPE));
        props.putAll(extra);
        return Formats.valueSerde(schema, new FormatOptions("t", props));
    }

    private static String registered(String subject) {
        return MockSchemaRegistry.scope(SCOPE).latestTextSchema(subject).orElseThrow().schema().text();
    }

    @Test
    void writesMagicByteSchemaIdAndIndexZero_thenTheMessage_andRegistersKsqlDbsSchema() {
        Schema schema = Schema.of(new Column("I", ScalarType.INTEGER), new Column("L", ScalarType.BIGINT),
                new Column("D", ScalarType.DOUBLE), new Column("B", ScalarType.BOOLEAN), new Column("S", ScalarType.VARCHAR));
        Serde<Row> serde = serde(schema, "PROTOBUF", Map.of());
        byte[] bytes = serde.serializer().serialize("t", Row.of(1, 2L, 1.5, true, "x"));
        assertEquals("00 00 00 00 01 00 08 01 10 02 19 00 00 00 00 00 00 f8 3f 20 01 2a 01 78", HEX.formatHex(bytes));
        assertEquals(Row.of(1, 2L, 1.5, true, "x"), serde.deserializer().deserialize("t", bytes));
        assertEquals("syntax = \"proto3\";\n\nmessage ConnectDefault1 {\n  int32 I = 1;\n  int64 L = 2;\n  double D = 3;\n"
                + "  bool B = 4;\n  string S = 5;\n}\n", registered("t-value"));
    }

    @Test
    void wrapperRepresentation_registersWrapperTypes() {
        Schema schema = Schema.of(new Column("I", ScalarType.INTEGER), new Column("S", ScalarType.VARCHAR));
        serde(schema, "protobuf", Map.of("value_protobuf_nullable_representation", "WRAPPER"))
                .serializer().serialize("t", Row.of(null, "a"));
        assertEquals("syntax = \"proto3\";\n\nimport \"google/protobuf/wrappers.proto\";\n\nmessage ConnectDefault1 {\n"
                + "  google.protobuf.Int32Value I = 1;\n  google.protobuf.StringValue S = 2;\n}\n", registered("t-value"));
    }

    @Test
    void structsAndMaps_areNestedConnectDefaultMessages_numberedThroughTheSchema() {
        Schema schema = Schema.of(new Column("ID", ScalarType.BIGINT), new Column("VALUE",
                        new MapType(ScalarType.VARCHAR, ScalarType.BOOLEAN)),
                new Column("S", new StructType(List.of(new Column("FOO", ScalarType.INTEGER)))),
                new Column("C6", new DecimalType(4, 2)));
        serde(schema, "protobuf", Map.of()).serializer().serialize("t", Row.of(1L, Map.of(), null, null));
        assertEquals("""
                syntax = "proto3";

                import "confluent/type/decimal.proto";

                message ConnectDefault1 {
                  int64 ID = 1;
                  repeated ConnectDefault2Entry VALUE = 2;
                  ConnectDefault3 S = 3;
                  confluent.type.Decimal C6 = 4 [(confluent.field_meta) = {
                    params: [
                      {
                        value: "4",
                        key: "precision"
                      },
                      {
                        value: "2",
                        key: "scale"
                      }
                    ]
                  }];

                  message ConnectDefault2Entry {
                    string key = 1;
                    bool value = 2;
                  }

                  message ConnectDefault3 {
                    int32 FOO = 1;
                  }
                }
                """, registered("t-value"));
    }

    @Test
    void aSchemaIdAndFullName_writeWithThatSchema_andTheMessageIndexesNameTheSecondMessage() {
        int id = MockSchemaRegistry.scope(SCOPE).register("t-value", new TextSchema("PROTOBUF",
                "syntax = \"proto3\"; message V1 {float c1 = 1;} message V2 {uint32 c1 = 1;}", Map.of()), 7);
        Schema schema = Schema.of(new Column("C1", ScalarType.BIGINT));
        Serde<Row> serde = serde(schema, "protobuf", Map.of("value_schema_id", Integer.toString(id),
                "value_schema_full_name", "V2"));
        byte[] bytes = serde.serializer().serialize("t", Row.of(100L));
        assertEquals("00 00 00 00 07 02 02 08 64", HEX.formatHex(bytes));
        assertEquals(Row.of(100L), serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void timeColumns_areGoogleTypeTimeOfDay_hoursMinutesSecondsNanos() {
        Schema schema = Schema.of(new Column("T", ScalarType.TIME));
        Serde<Row> serde = serde(schema, "protobuf", Map.of());
        int ms = ((13 * 60 + 5) * 60 + 7) * 1000 + 10; // 13:05:07.010
        byte[] bytes = serde.serializer().serialize("t", Row.of(ms));
        assertEquals("00 00 00 00 01 00 0a 0b 08 0d 10 05 18 07 20 80 ad e2 04", HEX.formatHex(bytes));
        assertEquals(Row.of(ms), serde.deserializer().deserialize("t", bytes));
        assertEquals("syntax = \"proto3\";\n\nimport \"google/type/timeofday.proto\";\n\nmessage ConnectDefault1 {\n"
                + "  google.type.TimeOfDay T = 1;\n}\n", registered("t-value"));
        assertEquals(Row.of(0), serde.deserializer().deserialize("t", serde.serializer().serialize("t", Row.of(0))));
    }

    @Test
    void protobufNoSr_isTheBareMessage() {
        Schema schema = Schema.of(new Column("A", ScalarType.INTEGER));
        Serde<Row> serde = serde(schema, "protobuf_nosr", Map.of());
        byte[] bytes = serde.serializer().serialize("t", Row.of(150));
        assertEquals("08 96 01", HEX.formatHex(bytes));
        assertEquals(Row.of(150), serde.deserializer().deserialize("t", bytes));
        assertNull(serde.serializer().serialize("t", null));
    }

    @Test
    void recordsThatAreNotTheWireFormat_areSerializationErrorsThatSayWhy() {
        Schema schema = Schema.of(new Column("A", ScalarType.INTEGER));
        Serde<Row> serde = serde(schema, "protobuf", Map.of());
        SerializationException json = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", "{\"A\": 1}".getBytes()));
        assertEquals("unknown magic byte 0x7b: not the Confluent protobuf wire format (magic byte 0, 4-byte schema id, "
                + "message indexes, message); the record looks like JSON", json.getMessage());
        SerializationException unknown = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", HEX.parseHex("00 00 00 00 63 00 08 01")));
        assertEquals("unknown schema id 99: not in the Schema Registry at mock://" + SCOPE, unknown.getMessage());
    }

    @Test
    void wrapSingleValueFalse_isRefusedAsKsqlDbRefusesIt() {
        Schema schema = Schema.of(new Column("A", ScalarType.INTEGER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serde(schema, "PROTOBUF", Map.of("wrap_single_value", "false")));
        assertEquals("Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.", e.getMessage());
    }

    @Test
    void mapsWithNonStringKeys_areRefusedAsKsqlDbRefusesThem() {
        Schema schema = Schema.of(new Column("M", new MapType(ScalarType.INTEGER, ScalarType.DOUBLE)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serde(schema, "protobuf_nosr", Map.of()));
        assertEquals("PROTOBUF format only supports MAP types with STRING keys", e.getMessage());
    }
}

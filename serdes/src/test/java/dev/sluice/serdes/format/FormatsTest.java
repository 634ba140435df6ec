package dev.sluice.serdes.format;

import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormatsTest {
    private static final Schema VALUE = Schema.of(new Column("id", ScalarType.BIGINT), new Column("name", ScalarType.VARCHAR));
    private static final Schema ONE_KEY = Schema.of(new Column("id", ScalarType.BIGINT));

    private static FormatOptions options(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new FormatOptions("orders", m);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void valueDefaultsToJson() {
        Serde<Row> s = Formats.valueSerde(VALUE, options());
        assertEquals("{\"id\":1,\"name\":\"a\"}", text(s.serializer().serialize("t", Row.of(1L, "a"))));
    }

    @Test
    void valueFormatKeyAndNameAreCaseInsensitiveAndWinOverFormat() {
        assertEquals("json", Formats.valueFormatName(options("VALUE_FORMAT", "JSON")));
        assertEquals("json", Formats.valueFormatName(options("value.format", "'Json'")));
        assertEquals("kafka", Formats.valueFormatName(options("format", "json", "value_format", "KAFKA")));
        assertEquals("csv", Formats.valueFormatName(options("FORMAT", "csv")));
    }

    @Test
    void singleColumnKeyDefaultsToKafkaPrimitiveAndWiderKeysToJson() {
        Serde<Row> key = Formats.keySerde(ONE_KEY, options("format", "json"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}, key.serializer().serialize("t", Row.of(9L)));
        Serde<Row> wide = Formats.keySerde(VALUE, options());
        assertEquals("{\"id\":1,\"name\":\"a\"}", text(wide.serializer().serialize("t", Row.of(1L, "a"))));
    }

    @Test
    void stringKeyFormatMeansOneUtf8Column() {
        Schema k = Schema.of(new Column("user", ScalarType.VARCHAR));
        Serde<Row> s = Formats.keySerde(k, options("key_format", "string", "value_format", "json"));
        assertArrayEquals("bob".getBytes(StandardCharsets.UTF_8), s.serializer().serialize("t", Row.of("bob")));
        assertEquals(Row.of("bob"), s.deserializer().deserialize("t", "bob".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keylessStreamsReadEmptyKeysAndWriteNull() {
        Serde<Row> s = Formats.keySerde(Schema.of(), options());
        assertEquals(Row.EMPTY, s.deserializer().deserialize("t", new byte[] {1, 2}));
        assertEquals(null, s.serializer().serialize("t", Row.EMPTY));
    }

    @Test
    void unknownFormatListsKnownOnes() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Formats.valueSerde(VALUE, options("format", "parquet"))).getMessage();
        assertEquals(true, msg.startsWith("unknown format 'parquet'; known formats: "), msg);
        assertEquals(true, msg.contains("json") && msg.contains("kafka"), msg);
    }

    @Test
    void userSerdeClassByNameFillsSingleTextColumn() {
        Schema line = Schema.of(new Column("line", ScalarType.VARCHAR));
        Serde<Row> s = Formats.valueSerde(line, options("value.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde"));
        assertEquals(Row.of("hello"), s.deserializer().deserialize("t", "hello".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), s.serializer().serialize("t", Row.of("hi")));
    }

    @Test
    void userDeserializerReturningMapFillsColumnsByName() {
        Serde<Row> s = Formats.valueSerde(VALUE, options("format", "custom",
                "deserializer_class", PipeSeparatedDeserializer.class.getName()));
        assertEquals(Row.of(42L, "x"), s.deserializer().deserialize("t", "42|x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void userStringDeserializerForSeveralColumnsIsReadAsJsonText() {
        Serde<Row> s = Formats.valueSerde(VALUE, options("value_serde", "org.apache.kafka.common.serialization.Serdes$StringSerde"));
        assertEquals(Row.of(3L, "q"), s.deserializer().deserialize("t", "{\"id\":3,\"name\":\"q\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingUserClassIsAClearError() {
        assertEquals("value.serde class 'com.example.MySerde' is not on the classpath: add the jar that contains it",
                assertThrows(IllegalArgumentException.class,
                        () -> Formats.valueSerde(VALUE, options("value.serde", "com.example.MySerde"))).getMessage());
        assertEquals("format 'custom' needs the class to use: 'value.serde' or 'deserializer_class' = 'com.example.MySerde'",
                assertThrows(IllegalArgumentException.class,
                        () -> Formats.valueSerde(VALUE, options("format", "custom"))).getMessage());
    }

    /** A user's deserializer that knows nothing of Sluice: returns a map of field name → text. */
    public static final class PipeSeparatedDeserializer implements Deserializer<Map<String, String>> {
        @Override
        public Map<String, String> deserialize(String topic, byte[] data) {
            String[] parts = new String(data, StandardCharsets.UTF_8).split("\\|");
            return Map.of("ID", parts[0], "name", parts[1]);
        }
    }
}

package dev.sluice.serdes.format.avro;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroRowFormatTest {
    private static final String SCOPE = "avro-format";
    private static final FormatOptions OPTIONS =
            new FormatOptions("orders", Map.of("VALUE_FORMAT", "AVRO", "SCHEMA_REGISTRY_URL", "mock://" + SCOPE));

    @BeforeEach
    void freshRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    private static Serde<Row> serde(Schema s) {
        return Formats.valueSerde(s, OPTIONS);
    }

    private static org.apache.avro.Schema avro(String json) {
        return new org.apache.avro.Schema.Parser().parse(json);
    }

    /** What another producer (e.g. Confluent's serializer) would send: framing + Avro's own encoding. */
    private static byte[] produced(org.apache.avro.Schema writer, GenericData.Record record) throws IOException {
        int id = MockSchemaRegistry.scope(SCOPE).register("orders-value", writer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(writer).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static String error(Serde<Row> s, byte[] bytes) {
        return assertThrows(SerializationException.class, () -> s.deserializer().deserialize("orders", bytes)).getMessage();
    }

    @Test
    void roundTripsEveryType() throws Exception {
        Schema all = Schema.of(
                new Column("s", ScalarType.VARCHAR), new Column("b", ScalarType.BOOLEAN), new Column("i", ScalarType.INTEGER),
                new Column("l", ScalarType.BIGINT), new Column("d", ScalarType.DOUBLE), new Column("dec", new DecimalType(12, 3)),
                new Column("ts", ScalarType.TIMESTAMP), new Column("tsl", ScalarType.TIMESTAMP_LTZ), new Column("day", ScalarType.DATE),
                new Column("iv", ScalarType.INTERVAL), new Column("bytes", ScalarType.BYTES), new Column("v", ScalarType.VARIANT),
                new Column("arr", new ArrayType(ScalarType.INTEGER)),
                new Column("m", new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE)),
                new Column("mi", new MapType(ScalarType.INTEGER, ScalarType.VARCHAR)),
                new Column("st", new StructType(List.of(new Column("zip", ScalarType.VARCHAR),
                        new Column("inner", new StructType(List.of(new Column("n", ScalarType.BIGINT))))))));
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("a", 1.5);
        m.put("b", null);
        Map<Object, Object> mi = new LinkedHashMap<>();
        mi.put(7, "seven");
        Row row = Row.of("héllo", false, Integer.MIN_VALUE, Long.MAX_VALUE, -0.5, new BigDecimal("-123456789.125"),
                1705312803457L, -1L, -3, 60_000L, new byte[] {0, (byte) 255}, new ObjectMapper().readTree("{\"k\":[1,true]}"),
                Arrays.asList(1, null, 3), m, mi, Row.of("75001", Row.of(9L)));
        Serde<Row> s = serde(all);
        Row back = s.deserializer().deserialize("orders", s.serializer().serialize("orders", row));
        assertEquals(row, back);
        assertArrayEquals(new byte[] {0, (byte) 255}, (byte[]) back.get(10));
        Row nulls = new Row(new Object[all.size()]);
        assertEquals(nulls, s.deserializer().deserialize("orders", s.serializer().serialize("orders", nulls)));
    }

    @Test
    void aKeyOfOneStructColumnIsTheStructsOwnRecordBothWays() throws IOException {
        StructType struct = new StructType(List.of(new Column("F1", ScalarType.INTEGER), new Column("F2", ScalarType.INTEGER)));
        Schema key = Schema.of(new Column("ROWKEY", struct));
        Serde<Row> serde = Formats.keySerde(key, new FormatOptions("orders",
                Map.of("KEY_FORMAT", "AVRO", "SCHEMA_REGISTRY_URL", "mock://" + SCOPE)));
        Row row = Row.of(Row.of(1, 2));
        byte[] bytes = serde.serializer().serialize("orders", row);
        org.apache.avro.Schema written = MockSchemaRegistry.scope(SCOPE).latestSchema("orders-key").orElseThrow().schema();
        // ksqlDB unwraps a key's single column: the record's fields are the struct's
        assertEquals(List.of("F1", "F2"), written.getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
        assertEquals(row, serde.deserializer().deserialize("orders", bytes));

        // another producer's record of the struct's fields is read as the struct too
        org.apache.avro.Schema writer = avro("{\"type\":\"record\",\"name\":\"key\",\"fields\":["
                + "{\"name\":\"F1\",\"type\":[\"null\",\"int\"]},{\"name\":\"F2\",\"type\":[\"null\",\"int\"]}]}");
        int id = MockSchemaRegistry.scope(SCOPE).register("orders-key", writer);
        GenericData.Record record = new GenericData.Record(writer);
        record.put("F1", 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(writer).write(record, enc);
        enc.flush();
        assertEquals(Row.of(Row.of(7, null)), serde.deserializer().deserialize("orders", out.toByteArray()));
    }

    @Test
    void generatedSchemaUsesLogicalTypesAndNullableUnions() {
        Schema s = Schema.of(new Column("amount", new DecimalType(10, 2)), new Column("ts", ScalarType.TIMESTAMP, false),
                new Column("day", ScalarType.DATE, false));
        assertEquals("{\"type\":\"record\",\"name\":\"orders\",\"namespace\":\"dev.sluice.avro\",\"fields\":["
                        + "{\"name\":\"amount\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}],\"default\":null},"
                        + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                        + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}}]}",
                AvroSchemas.toAvro(s, "orders").toString());
    }

    @Test
    void timeIsAnIntOfLogicalTypeTimeMillisBothWays() {
        Schema s = Schema.of(new Column("t", ScalarType.TIME, false));
        assertEquals("{\"type\":\"record\",\"name\":\"clock\",\"namespace\":\"dev.sluice.avro\",\"fields\":["
                        + "{\"name\":\"t\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}}]}",
                AvroSchemas.toAvro(s, "clock").toString());
        assertEquals(ScalarType.TIME, AvroSchemas.sqlType(avro("{\"type\":\"int\",\"logicalType\":\"time-millis\"}"), "t"));
        Serde<Row> serde = serde(s);
        assertEquals(Row.of(86_399_999), serde.deserializer().deserialize("clock",
                serde.serializer().serialize("clock", Row.of(86_399_999))));
    }

    @Test
    void writerWithAnExtraFieldIsRead() throws IOException {
        org.apache.avro.Schema newer = avro("{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                + "{\"name\":\"coupon\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}");
        GenericData.Record r = new GenericData.Record(newer);
        r.put("id", 5L);
        r.put("coupon", "X");
        r.put("amount", 2.5);
        Schema columns = Schema.of(new Column("id", ScalarType.BIGINT), new Column("amount", ScalarType.DOUBLE));
        assertEquals(Row.of(5L, 2.5), serde(columns).deserializer().deserialize("orders", produced(newer, r)));
    }

    @Test
    void writerMissingAFieldReadsItAsNull() throws IOException {
        org.apache.avro.Schema older = avro("{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}");
        GenericData.Record r = new GenericData.Record(older);
        r.put("id", 5);
        Schema columns = Schema.of(new Column("id", ScalarType.BIGINT), new Column("amount", ScalarType.DOUBLE));
        // int promotes to long; the missing amount takes the reader default, null
        assertEquals(Row.of(5L, null), serde(columns).deserializer().deserialize("orders", produced(older, r)));
    }

    @Test
    void fieldMissingFromAnOldWriterTakesTheDefaultOfTheLatestRegisteredSchema() throws IOException {
        org.apache.avro.Schema v1 = avro("{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
        GenericData.Record r = new GenericData.Record(v1);
        r.put("id", 5L);
        byte[] old = produced(v1, r);
        MockSchemaRegistry.scope(SCOPE).register("orders-value", avro("{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"qty\",\"type\":\"int\",\"default\":1},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}"));
        Schema columns = Schema.of(new Column("id", ScalarType.BIGINT), new Column("qty", ScalarType.INTEGER),
                new Column("note", ScalarType.VARCHAR));
        assertEquals(Row.of(5L, 1, null), serde(columns).deserializer().deserialize("orders", old));
    }

    @Test
    void incompatibleWriterNamesTheField() throws IOException {
        org.apache.avro.Schema changed = avro("{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                + "{\"name\":\"amount\",\"type\":\"string\"}]}");
        GenericData.Record r = new GenericData.Record(changed);
        r.put("id", 1L);
        r.put("amount", "12.5");
        Schema columns = Schema.of(new Column("id", ScalarType.BIGINT), new Column("amount", ScalarType.DOUBLE));
        String msg = error(serde(columns), produced(changed, r));
        assertEquals("writer schema id 1 of topic orders (value) does not fit the columns (id BIGINT, amount DOUBLE): "
                + "field amount: the writer has STRING, which cannot be read as DOUBLE", msg);
    }

    @Test
    void timestampMicrosEnumAndUuidAreReadAsSluiceTypes() throws IOException {
        org.apache.avro.Schema writer = avro("{\"type\":\"record\",\"name\":\"E\",\"fields\":["
                + "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"NEW\",\"PAID\"]}},"
                + "{\"name\":\"ref\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}}]}");
        GenericData.Record r = new GenericData.Record(writer);
        r.put("at", 1_705_312_803_457_999L);
        r.put("status", new GenericData.EnumSymbol(writer.getField("status").schema(), "PAID"));
        r.put("ref", "123e4567-e89b-12d3-a456-426614174000");
        Schema discovered = AvroSchemas.toSluiceSchema(writer);
        assertEquals("(at TIMESTAMP(3), status VARCHAR, ref VARCHAR)", discovered.toString());
        assertEquals(Row.of(1_705_312_803_457L, "PAID", "123e4567-e89b-12d3-a456-426614174000"),
                serde(discovered).deserializer().deserialize("orders", produced(writer, r)));
    }

    @Test
    void decimalWrittenAtAnotherScaleIsRescaled() throws IOException {
        org.apache.avro.Schema writer = avro("{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"price\",\"type\":"
                + "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":4}}]}");
        GenericData.Record r = new GenericData.Record(writer);
        r.put("price", java.nio.ByteBuffer.wrap(java.math.BigInteger.valueOf(12345).toByteArray())); // 1.2345
        Schema columns = Schema.of(new Column("price", new DecimalType(10, 2)));
        assertEquals(Row.of(new BigDecimal("1.23")), serde(columns).deserializer().deserialize("orders", produced(writer, r)));
    }

    @Test
    void corruptInputIsNamed() {
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("name", ScalarType.VARCHAR, false));
        Serde<Row> serde = serde(s);
        byte[] good = serde.serializer().serialize("orders", Row.of(1L, "abc"));
        assertEquals("unknown magic byte 0x7b: not the Confluent Avro wire format (magic byte 0, 4-byte schema id, Avro body);"
                + " the record looks like JSON", error(serde, "{\"id\":1}".getBytes()));
        assertEquals("Avro record too short: 3 bytes, the Confluent wire format needs at least 5 (magic byte 0 and a 4-byte schema id)",
                error(serde, new byte[] {0, 0, 0}));
        assertEquals("unknown schema id 99: not in the Schema Registry at mock://avro-format", error(serde, new byte[] {0, 0, 0, 0, 99, 2}));
        byte[] truncated = Arrays.copyOf(good, good.length - 2);
        assertEquals("Avro body truncated: " + (truncated.length - 5) + " bytes are too few for a record of schema id 1",
                error(serde, truncated));
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertTrue(error(serde, longer).startsWith("Avro body for schema id 1 has bytes left after the record"));
        assertNull(serde.deserializer().deserialize("orders", null));
    }

    @Test
    void discoveryTakesColumnsFromTheLatestValueSchema() {
        MockSchemaRegistry.scope(SCOPE).register("orders-value", avro("{\"type\":\"record\",\"name\":\"O\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
                + "{\"name\":\"lines\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"L\",\"fields\":["
                + "{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"}]}}},"
                + "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"double\"}}]}"));
        Schema discovered = AvroRowFormat.discover(OPTIONS, false).orElseThrow();
        assertEquals("(id BIGINT, note VARCHAR, lines ARRAY<STRUCT<sku VARCHAR, qty INTEGER>>, attrs MAP<VARCHAR, DOUBLE>)",
                discovered.toString());
        assertEquals(false, discovered.column(0).nullable());
        assertEquals(true, discovered.column(1).nullable());
        assertEquals(java.util.Optional.empty(), AvroRowFormat.discover(new FormatOptions("nothing",
                Map.of("schema_registry_url", "mock://" + SCOPE)), false));
    }

    @Test
    void multiTypeUnionIsRefusedWithTheFieldName() {
        assertEquals("Avro field x is a union of 3 types [\"null\",\"int\",\"string\"]: no SQL type fits; declare the column as VARIANT or change the schema",
                assertThrows(IllegalArgumentException.class, () -> AvroSchemas.toSluiceSchema(avro(
                        "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"x\",\"type\":[\"null\",\"int\",\"string\"]}]}"))).getMessage());
    }

    @Test
    void missingRegistryUrlIsAClearError() {
        assertEquals("format 'avro' needs the Schema Registry: add schema_registry_url = 'http://host:8081' to WITH (...)",
                assertThrows(IllegalArgumentException.class, () -> Formats.valueSerde(Schema.of(new Column("a", ScalarType.INTEGER)),
                        new FormatOptions("t", Map.of("format", "avro")))).getMessage());
    }
}

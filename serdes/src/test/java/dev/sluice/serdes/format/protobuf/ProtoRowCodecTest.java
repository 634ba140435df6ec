package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Messages against bytes worked out by hand from the encoding spec (protobuf.dev, "Encoding"): the
 * spec's own examples (150 as {@code 08 96 01}, "testing" as {@code 12 07 74 65 73 74 69 6e 67}, the
 * packed run {@code 32 06 03 8e 02 9e a7 05}, the nested {@code 1a 03 08 96 01}) and the well-known
 * types ksqlDB uses. Each case writes the row, compares the bytes, and reads them back.
 */
class ProtoRowCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private static ProtoRowCodec generated(ProtoSchemas.Nullables nullables, Column... columns) {
        ProtoSchema schema = ProtoSchemas.fromColumns(List.of(columns), null, nullables);
        return new ProtoRowCodec(schema, schema.first(), List.of(columns));
    }

    private static ProtoRowCodec parsed(String text, Column... columns) {
        ProtoSchema schema = ProtoParser.parse(text);
        return new ProtoRowCodec(schema, schema.first(), List.of(columns));
    }

    private static void roundTrip(ProtoRowCodec codec, Row row, String hex) {
        byte[] bytes = codec.write(row);
        assertEquals(hex, HEX.formatHex(bytes));
        assertEquals(row, codec.read(bytes, 0, bytes.length));
    }

    @Test
    void int32OneFifty_isTheSpecsFirstExample() {
        roundTrip(generated(ProtoSchemas.Nullables.DEFAULT, new Column("A", ScalarType.INTEGER)), Row.of(150), "08 96 01");
    }

    @Test
    void stringInFieldTwo_isLengthDelimited_andADefaultIntIsNotWritten() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("A", ScalarType.INTEGER),
                new Column("B", ScalarType.VARCHAR));
        roundTrip(codec, Row.of(0, "testing"), "12 07 74 65 73 74 69 6e 67");
    }

    @Test
    void repeatedInt32_isPacked() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { repeated int32 f = 6; }",
                new Column("F", new ArrayType(ScalarType.INTEGER)));
        roundTrip(codec, Row.of(List.of(3, 270, 86942)), "32 06 03 8e 02 9e a7 05");
    }

    @Test
    void repeatedInt32_isAlsoReadUnpacked() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { repeated int32 f = 6; }",
                new Column("F", new ArrayType(ScalarType.INTEGER)));
        byte[] unpacked = HEX.parseHex("30 03 30 8e 02");
        assertEquals(Row.of(List.of(3, 270)), codec.read(unpacked, 0, unpacked.length));
    }

    @Test
    void nestedStruct_isALengthDelimitedMessage() {
        StructType inner = new StructType(List.of(new Column("A", ScalarType.INTEGER)));
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("X", ScalarType.INTEGER),
                new Column("Y", ScalarType.INTEGER), new Column("C", inner));
        roundTrip(codec, Row.of(0, 0, Row.of(150)), "1a 03 08 96 01");
    }

    @Test
    void sintTypes_areZigZag_andFixedTypesLittleEndian() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { sint32 a = 1; sint64 b = 2; sfixed32 c = 3; fixed64 d = 4; }",
                new Column("A", ScalarType.INTEGER), new Column("B", ScalarType.BIGINT),
                new Column("C", ScalarType.INTEGER), new Column("D", ScalarType.BIGINT));
        roundTrip(codec, Row.of(-2, -1L, -2, 1L), "08 03 10 01 1d fe ff ff ff 21 01 00 00 00 00 00 00 00");
    }

    @Test
    void doubleAndBool_areFixed64AndVarint() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("D", ScalarType.DOUBLE),
                new Column("B", ScalarType.BOOLEAN));
        roundTrip(codec, Row.of(1.5, true), "09 00 00 00 00 00 00 f8 3f 10 01");
    }

    @Test
    void floatIsWidenedToTheDoubleKsqlDbShows() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { float c1 = 1; uint32 c2 = 2; }",
                new Column("C1", ScalarType.DOUBLE), new Column("C2", ScalarType.BIGINT));
        byte[] bytes = codec.write(Row.of(1.1234, 4294967295L));
        assertEquals(Row.of(1.1233999729156494, 4294967295L), codec.read(bytes, 0, bytes.length));
    }

    @Test
    void mapOfStrings_isRepeatedEntriesWithKeyOneAndValueTwo() {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("a", 1);
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT,
                new Column("M", new MapType(ScalarType.VARCHAR, ScalarType.INTEGER)));
        roundTrip(codec, Row.of(map), "0a 05 0a 01 61 10 01");
    }

    @Test
    void plainFields_readNullsAsProto3Defaults_andAbsentCollectionsAsEmpty() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("I", ScalarType.INTEGER),
                new Column("S", ScalarType.VARCHAR), new Column("B", ScalarType.BOOLEAN),
                new Column("A", new ArrayType(ScalarType.BIGINT)), new Column("M", new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE)),
                new Column("T", new StructType(List.of(new Column("F", ScalarType.INTEGER)))));
        byte[] bytes = codec.write(Row.of(null, null, null, null, null, null));
        assertEquals(0, bytes.length);
        assertEquals(Row.of(0, "", false, List.of(), Map.of(), null), codec.read(bytes, 0, 0));
    }

    @Test
    void emptyStruct_isPresent_andFillsItsDefaults() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT,
                new Column("S", new StructType(List.of(new Column("FOO", ScalarType.INTEGER)))));
        byte[] bytes = codec.write(Row.of(Row.of((Object) null)));
        assertEquals("0a 00", HEX.formatHex(bytes));
        assertEquals(Row.of(Row.of(0)), codec.read(bytes, 0, bytes.length));
    }

    @Test
    void optionalFields_writeZeros_andKeepNulls() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.OPTIONAL, new Column("I", ScalarType.INTEGER),
                new Column("S", ScalarType.VARCHAR));
        roundTrip(codec, Row.of(0, null), "08 00");
        roundTrip(codec, Row.of(null, ""), "12 00");
    }

    @Test
    void wrapperFields_areMessages_withTheValueInFieldOne() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.WRAPPER, new Column("I", ScalarType.INTEGER),
                new Column("S", ScalarType.VARCHAR));
        roundTrip(codec, Row.of(5, null), "0a 02 08 05");
        roundTrip(codec, Row.of(0, "x"), "0a 00 12 03 0a 01 78");
        roundTrip(codec, Row.of(null, null), "");
    }

    @Test
    void timestamp_isSecondsAndNanos() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("T", ScalarType.TIMESTAMP));
        roundTrip(codec, Row.of(1500L), "0a 08 08 01 10 80 ca b5 ee 01");
    }

    @Test
    void date_isYearMonthDay() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("D", ScalarType.DATE));
        roundTrip(codec, Row.of(1), "0a 07 08 b2 0f 10 01 18 02");
    }

    @Test
    void decimal_isBigEndianUnscaledBytesWithPrecisionAndScale() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("C", new DecimalType(4, 2)));
        roundTrip(codec, Row.of(new BigDecimal("10.01")), "0a 08 0a 02 03 e9 10 04 18 02");
        roundTrip(codec, Row.of(new BigDecimal("-10.01")), "0a 08 0a 02 fc 17 10 04 18 02");
    }

    @Test
    void bytes_areLengthDelimited_andAbsentBytesReadAsNull() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("B", ScalarType.BYTES));
        byte[] bytes = codec.write(Row.of((Object) new byte[] {1, 2}));
        assertEquals("0a 02 01 02", HEX.formatHex(bytes));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) codec.read(bytes, 0, bytes.length).get(0));
        assertEquals(Row.of((Object) null), codec.read(new byte[0], 0, 0));
    }

    @Test
    void enum_isItsNumber_readAsItsName() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { enum Suit {SPADES = 0; HEARTS = 1;} Suit c1 = 1; }",
                new Column("C1", ScalarType.VARCHAR));
        roundTrip(codec, Row.of("HEARTS"), "08 01");
        assertEquals(Row.of("SPADES"), codec.read(new byte[0], 0, 0));
    }

    @Test
    void unknownFields_areSkipped_andColumnsBoundByNameIgnoringCase() {
        ProtoRowCodec codec = parsed("syntax = \"proto3\"; message M { string other = 1; int64 wanted = 7; }",
                new Column("WANTED", ScalarType.BIGINT));
        byte[] bytes = HEX.parseHex("0a 02 68 69 38 2a 25 01 02 03 04");
        assertEquals(Row.of(42L), codec.read(bytes, 0, bytes.length));
    }

    @Test
    void truncatedBody_isAnErrorThatSaysWhere() {
        ProtoRowCodec codec = generated(ProtoSchemas.Nullables.DEFAULT, new Column("S", ScalarType.VARCHAR));
        byte[] bytes = HEX.parseHex("0a 07 74 65");
        ProtoException e = assertThrows(ProtoException.class, () -> codec.read(bytes, 0, bytes.length));
        assertEquals("length 7 at byte 2 runs past the end of the message (2 bytes left)", e.getMessage());
    }
}

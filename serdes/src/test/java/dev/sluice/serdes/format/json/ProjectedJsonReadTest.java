package dev.sluice.serdes.format.json;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JSON source that builds only the columns and ROW fields its queries read (projection pushdown). */
class ProjectedJsonReadTest {
    private static final StructType BID = new StructType(List.of(
            new Column("auction", ScalarType.BIGINT),
            new Column("price", ScalarType.BIGINT),
            new Column("url", ScalarType.VARCHAR),
            new Column("extra", ScalarType.VARCHAR)));
    private static final StructType PERSON = new StructType(List.of(
            new Column("id", ScalarType.BIGINT),
            new Column("name", ScalarType.VARCHAR)));
    private static final Schema EVENT = Schema.of(
            new Column("event_type", ScalarType.INTEGER),
            new Column("person", PERSON),
            new Column("bid", BID),
            new Column("note", ScalarType.VARCHAR));

    /** event_type, and of the bid only its auction and price. */
    private static final ReadFields TYPE_AND_BID_PRICE = ReadFields.columns(0)
            .withPath(new int[] {2, 0}).withPath(new int[] {2, 1});

    private static final String A_BID = "{\"event_type\":2,\"person\":null,"
            + "\"bid\":{\"auction\":7,\"price\":120,\"url\":\"https://x/\\u00e9\\\"q\",\"extra\":\"zz\"},\"note\":\"n\"}";

    private static Deserializer<Row> reader(Schema schema, ReadFields read) {
        return JsonRowFormat.json().valueSerde(schema, new FormatOptions("t", Map.of()), read).deserializer();
    }

    private static Row read(Deserializer<Row> d, String json) {
        return d.deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(Deserializer<Row> d, String json) {
        return assertThrows(SerializationException.class, () -> read(d, json)).getMessage();
    }

    @Test
    void unreadColumnsAndRowFieldsAreNullAndReadOnesAreTheFullReadersValues() {
        Row full = read(reader(EVENT, ReadFields.ALL), A_BID);
        assertEquals(Row.of(2, null, Row.of(7L, 120L, "https://x/é\"q", "zz"), "n"), full);
        assertEquals(Row.of(2, null, Row.of(7L, 120L, null, null), null), read(reader(EVENT, TYPE_AND_BID_PRICE), A_BID));
    }

    @Test
    void aRowColumnReadWholeKeepsEveryField() {
        ReadFields bidWhole = ReadFields.columns(2);
        assertEquals(Row.of(null, null, Row.of(7L, 120L, "https://x/é\"q", "zz"), null), read(reader(EVENT, bidWhole), A_BID));
    }

    @Test
    void aRowReadInPartIsStillARowWhenPresentAndNullWhenNullOrMissing() {
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        assertEquals(Row.of(0, null, null, null), read(d, "{\"event_type\":0,\"person\":{\"id\":1,\"name\":\"ann\"},\"bid\":null}"));
        assertEquals(Row.of(0, null, null, null), read(d, "{\"event_type\":0}"));
        assertEquals(Row.of(null, null, Row.of(null, null, null, null), null), read(d, "{\"bid\":{\"url\":\"u\"}}"));
    }

    @Test
    void noColumnReadStillGivesARowOfTheSchemasWidth() {
        assertEquals(Row.of(null, null, null, null), read(reader(EVENT, ReadFields.none()), A_BID));
    }

    @Test
    void invalidJsonInsideASkippedColumnOrFieldStillFailsTheRecord() {
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        // a skipped object with a missing value, a skipped string with a bad escape, a bad literal, an unclosed array
        assertTrue(error(d, "{\"event_type\":2,\"person\":{\"id\":,\"name\":\"a\"}}").startsWith("invalid JSON: "));
        assertTrue(error(d, "{\"event_type\":2,\"bid\":{\"price\":1,\"url\":\"bad \\q escape\"}}").startsWith("invalid JSON: "));
        assertTrue(error(d, "{\"event_type\":2,\"note\":nul}").startsWith("invalid JSON: "));
        assertTrue(error(d, "{\"event_type\":2,\"note\":[1,2}").startsWith("invalid JSON: "));
        assertTrue(error(d, "{\"event_type\":2,\"note\":\"unterminated}").startsWith("invalid JSON: "));
        assertTrue(error(d, "{\"event_type\":2,\"note\":01}").startsWith("invalid JSON: "));
        assertEquals("invalid JSON: more data after the object", error(d, A_BID + " {}"));
    }

    @Test
    void invalidUtf8InASkippedStringStillFailsTheRecord() {
        byte[] bytes = "{\"event_type\":2,\"note\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 3] = (byte) 0xC3; // a lead byte followed by 'b' (0x62), not a continuation byte
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        assertThrows(SerializationException.class, () -> d.deserialize("t", bytes));
    }

    @Test
    void aTypeErrorInAnUnreadFieldIsNotAnErrorButInAReadOneItIs() {
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        // url should be text and person a ROW: neither is read, as Flink's pushed-down projection does not
        assertEquals(Row.of(2, null, Row.of(7L, 1L, null, null), null),
                read(d, "{\"event_type\":2,\"person\":[1,2],\"bid\":{\"auction\":7,\"price\":1,\"url\":{\"a\":[true]}}}"));
        assertEquals("field bid.price: expected BIGINT, got \"cheap\"",
                error(d, "{\"event_type\":2,\"bid\":{\"auction\":7,\"price\":\"cheap\"}}"));
        assertEquals("field bid: expected " + BID.sql() + ", got 5", error(d, "{\"event_type\":2,\"bid\":5}"));
        assertEquals("field event_type: expected INTEGER, got \"two\"", error(d, "{\"event_type\":\"two\"}"));
    }

    @Test
    void duplicateKeysResolveAsTheFullReaderDoesForReadFields() {
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        String dup = "{\"event_type\":1,\"EVENT_TYPE\":9,\"event_type\":2,\"bid\":{\"Price\":5,\"price\":6,\"price\":7}}";
        Row projected = read(d, dup);
        Row full = read(reader(EVENT, ReadFields.ALL), dup);
        assertEquals(full.get(0), projected.get(0));
        assertEquals(((Row) full.get(2)).get(1), ((Row) projected.get(2)).get(1));
        assertEquals(2, projected.get(0)); // the last exact match wins
        assertEquals(7L, ((Row) projected.get(2)).get(1));
        // a field matched only ignoring case is read when it is the only match
        assertEquals(Row.of(3, null, null, null), read(d, "{\"Event_Type\":3,\"note\":\"x\"}"));
    }

    @Test
    void escapedStringsInReadFieldsAreDecodedAndInSkippedOnesDoNotConfuseTheParser() {
        ReadFields noteOnly = ReadFields.columns(3);
        Deserializer<Row> d = reader(EVENT, noteOnly);
        String json = "{\"bid\":{\"url\":\"}\\\"{,[\\\\\",\"extra\":\"\\u007d\"},\"note\":\"tab\\there \\\"q\\\" \\u00e9\"}";
        assertEquals(Row.of(null, null, null, "tab\there \"q\" é"), read(d, json));
    }

    @Test
    void unknownFieldsAreSkippedAndNullsAreNullInReadAndUnreadColumns() {
        Deserializer<Row> d = reader(EVENT, TYPE_AND_BID_PRICE);
        assertEquals(Row.of(null, null, Row.of(null, null, null, null), null),
                read(d, "{\"other\":{\"deep\":[1,{\"x\":null}]},\"event_type\":null,\"bid\":{\"auction\":null,\"url\":null}}"));
    }

    @Test
    void strictJsonAndSingleUnwrappedValuesReadEverything() {
        FormatOptions strict = new FormatOptions("t", Map.of("json.strict", "true"));
        assertEquals("field bid.url: expected VARCHAR, got 5", assertThrows(SerializationException.class,
                () -> JsonRowFormat.json().valueSerde(EVENT, strict, TYPE_AND_BID_PRICE).deserializer().deserialize("t",
                        "{\"event_type\":2,\"person\":null,\"bid\":{\"auction\":1,\"price\":2,\"url\":5,\"extra\":null},\"note\":null}"
                                .getBytes(StandardCharsets.UTF_8))).getMessage());
        Schema one = Schema.of(new Column("v", ScalarType.VARCHAR));
        FormatOptions unwrapped = new FormatOptions("t", Map.of("wrap_single_value", "false"));
        assertEquals(Row.of("x"), JsonRowFormat.json().valueSerde(one, unwrapped, ReadFields.none()).deserializer()
                .deserialize("t", "\"x\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void formatsWithoutProjectionReadEverythingAndAllReadsGiveTheFullSerde() {
        Schema two = Schema.of(new Column("a", ScalarType.VARCHAR), new Column("b", ScalarType.VARCHAR));
        FormatOptions csv = new FormatOptions("t", Map.of("format", "delimited"));
        assertEquals(Row.of("x", "y"), Formats.valueSerde(two, csv, ReadFields.columns(0)).deserializer()
                .deserialize("t", "x,y".getBytes(StandardCharsets.UTF_8)));
        assertNull(read(reader(EVENT, TYPE_AND_BID_PRICE), "null"));
    }

    @Test
    void readFieldsUnionKeepsTheWiderReadOfEachPath() {
        ReadFields bidPrice = ReadFields.none().withPath(new int[] {2, 1});
        assertEquals("{0, 2{0, 1}}", TYPE_AND_BID_PRICE.toString());
        assertEquals("{0, 2}", TYPE_AND_BID_PRICE.union(ReadFields.columns(2)).toString());
        assertEquals("{2{1}}", bidPrice.union(ReadFields.none()).toString());
        assertSame(ReadFields.ALL, bidPrice.union(ReadFields.ALL));
        assertNull(bidPrice.field(0));
    }
}

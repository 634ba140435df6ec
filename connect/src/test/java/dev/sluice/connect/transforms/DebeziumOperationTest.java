package dev.sluice.connect.transforms;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Debezium's op letters become seed 001's operation words; everything else stays. */
class DebeziumOperationTest {
    private static final Schema ROW = SchemaBuilder.struct().name("row").optional()
            .field("id", Schema.INT32_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private static SourceRecord change(String op) {
        Struct after = new Struct(ROW).put("id", 4);
        Struct value = new Struct(ENVELOPE).put("after", after).put("op", op).put("ts_ms", 17L);
        return new SourceRecord(Map.of(), Map.of(), "t", null, null, ENVELOPE, value);
    }

    @Test
    void snapshotReadsAndCreatesAreInsertsUpdatesAndDeletesKeepTheirNames() {
        DebeziumOperation<SourceRecord> smt = new DebeziumOperation<>();
        for (String[] c : new String[][] {{"r", "INSERT"}, {"c", "INSERT"}, {"u", "UPDATE"}, {"d", "DELETE"}}) {
            Struct out = (Struct) smt.apply(change(c[0])).value();
            assertEquals(c[1], out.getString("operation"));
            assertEquals(4, out.getStruct("after").getInt32("id"));
            assertEquals(17L, out.getInt64("ts_ms"));
            assertNull(out.schema().field("op"), "op is replaced, not kept beside operation");
            assertEquals("operation", out.schema().fields().get(0).name());
        }
    }

    @Test
    void aTombstonePassesThroughUntouched() {
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null);
        assertEquals(tombstone, new DebeziumOperation<SourceRecord>().apply(tombstone));
    }
}

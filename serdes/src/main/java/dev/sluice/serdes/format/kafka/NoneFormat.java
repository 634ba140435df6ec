package dev.sluice.serdes.format.kafka;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.stream.Collectors;

/**
 * ksqlDB's {@code NONE} format: no columns at all. As a key format it says a stream has no key:
 * whatever bytes a record key holds are ignored, and the key written is null.
 */
public final class NoneFormat implements RowFormat {
    private static final Row EMPTY = new Row(new Object[0]);

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        // a column of type NULL (ksqlDB's PARTITION BY NULL) holds nothing, which is what NONE writes
        if (schema.columns().stream().anyMatch(c -> c.type() != ScalarType.NULL)) {
            // ksqlDB's words, so that its users recognise the rule
            throw new IllegalArgumentException("The 'NONE' format can only be used when no columns are defined. Got: "
                    + schema.columns().stream().map(c -> describe(c, isKey)).collect(Collectors.joining(", ", "[", "]")));
        }
        Serializer<Row> serializer = (topic, row) -> null;
        Deserializer<Row> deserializer = (topic, data) -> data == null ? null : EMPTY;
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static String describe(Column c, boolean isKey) {
        String type = c.type() == ScalarType.VARCHAR ? "STRING" : c.type().sql();
        return "`" + c.name() + "` " + type + (isKey ? " KEY" : "");
    }
}

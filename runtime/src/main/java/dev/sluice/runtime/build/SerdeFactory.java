package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;

/** Serdes for a plan's topics: user-facing formats for sources and sinks, compact binary inside. */
public interface SerdeFactory {

    Serde<Row> key(Schema keySchema, FormatSpec format);

    Serde<Row> value(Schema schema, FormatSpec format);

    /** A source's value serde that needs to build only {@code read} of each row; by default, all of it. */
    default Serde<Row> value(Schema schema, FormatSpec format, ReadFields read) {
        return value(schema, format);
    }

    /** Repartition topics, changelogs and stores: no other program reads these bytes. */
    Serde<Row> internal(Schema schema);
}

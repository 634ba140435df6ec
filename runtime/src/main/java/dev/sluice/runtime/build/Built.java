package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;

/** What a step builder hands downstream: a stream or a table of rows keyed by rows. */
public sealed interface Built {

    record Stream(KStream<Row, Row> stream) implements Built {
    }

    record Table(KTable<Row, Row> table) implements Built {
    }

    /** A table replicated whole to every instance ({@code 'lookup' = 'global'}): only joinable. */
    record GlobalTable(org.apache.kafka.streams.kstream.GlobalKTable<Row, Row> table) implements Built {
    }

    default KStream<Row, Row> asStream(String name) {
        if (this instanceof Stream s) {
            return s.stream();
        }
        if (this instanceof GlobalTable) {
            throw new IllegalStateException("a global table can only be the right side of a stream join: " + name);
        }
        return ((Table) this).table().toStream(org.apache.kafka.streams.kstream.Named.as(name + "-to-stream"));
    }
}

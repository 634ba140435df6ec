package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ksqlDB's header columns of a source: columns read from the Kafka record's headers instead of its
 * value. A binding without a key is a {@code HEADERS} column (every header, in order); one with a key
 * is a {@code HEADER('k')} column (the value of the last header named {@code k}). They travel in the
 * source's format properties under {@link #PROPERTY}, so every plan step that reads the topic knows
 * them without a field of its own; the value format never sees these columns.
 */
public record HeaderColumns(List<Binding> bindings) {
    /** The format property holding the bindings: {@code column} or {@code column<TAB>key}, one a line. */
    public static final String PROPERTY = "sluice.header_columns";

    /** The type of a {@code HEADERS} column. */
    public static final SqlType ALL_TYPE = new ArrayType(new StructType(List.of(
            new Column("KEY", ScalarType.VARCHAR, true), new Column("VALUE", ScalarType.BYTES, true))));

    public static final HeaderColumns NONE = new HeaderColumns(List.of());

    /** One header column: its name, and the header key it reads (empty: all headers). */
    public record Binding(String column, Optional<String> key) {
    }

    public HeaderColumns {
        bindings = List.copyOf(bindings);
    }

    public boolean isEmpty() {
        return bindings.isEmpty();
    }

    /** The header columns recorded in a source's format properties (none when absent). */
    public static HeaderColumns of(FormatSpec format) {
        String text = format.properties().get(PROPERTY);
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        List<Binding> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('\t');
            out.add(eq < 0 ? new Binding(line, Optional.empty())
                    : new Binding(line.substring(0, eq), Optional.of(line.substring(eq + 1))));
        }
        return new HeaderColumns(out);
    }

    /** The bindings as the value of {@link #PROPERTY}. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (Binding b : bindings) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(b.column()).append(b.key().map(k -> "\t" + k).orElse(""));
        }
        return text.toString();
    }

    /** The binding of each column by upper-cased name. */
    public Map<String, Binding> byColumn() {
        Map<String, Binding> out = new HashMap<>();
        for (Binding b : bindings) {
            out.put(b.column().toUpperCase(java.util.Locale.ROOT), b);
        }
        return out;
    }
}

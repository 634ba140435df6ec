package dev.sluice.serdes.row;

import java.util.List;
import java.util.stream.Collectors;

/** A nested row type; values are {@link Row}s positional by {@link #fields()}. */
public record StructType(List<Column> fields) implements SqlType {
    public StructType {
        fields = List.copyOf(fields);
    }

    public Schema asSchema() {
        return new Schema(fields);
    }

    @Override
    public String sql() {
        return fields.stream().map(f -> f.name() + " " + f.type().sql())
                .collect(Collectors.joining(", ", "STRUCT<", ">"));
    }
}

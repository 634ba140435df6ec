package dev.sluice.serdes.row;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The ordered columns of a row. Lookup by name is case-insensitive (SQL identifiers are), and
 * happens at compile time only: at run time rows are accessed by position.
 */
public record Schema(List<Column> columns) {
    public Schema {
        columns = List.copyOf(columns);
    }

    public static Schema of(Column... columns) {
        return new Schema(List.of(columns));
    }

    public int size() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    public SqlType type(int index) {
        return columns.get(index).type();
    }

    public OptionalInt indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    public List<String> names() {
        return columns.stream().map(Column::name).collect(Collectors.toList());
    }

    public Schema append(Column column) {
        List<Column> all = new ArrayList<>(columns);
        all.add(column);
        return new Schema(all);
    }

    @Override
    public String toString() {
        return columns.stream().map(c -> c.name() + " " + c.type().sql())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}

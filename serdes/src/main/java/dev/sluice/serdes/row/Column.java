package dev.sluice.serdes.row;

/** A named, typed position in a {@link Schema}. */
public record Column(String name, SqlType type, boolean nullable) {
    public Column(String name, SqlType type) {
        this(name, type, true);
    }
}

package dev.sluice.serdes.row;

public record MapType(SqlType key, SqlType value) implements SqlType {
    @Override
    public String sql() {
        return "MAP<" + key.sql() + ", " + value.sql() + ">";
    }
}

package dev.sluice.serdes.row;

public record ArrayType(SqlType element) implements SqlType {
    @Override
    public String sql() {
        return "ARRAY<" + element.sql() + ">";
    }
}

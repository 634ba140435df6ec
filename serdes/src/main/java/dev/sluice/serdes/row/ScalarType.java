package dev.sluice.serdes.row;

/** Types without parameters. {@code NULL} is the type of a bare NULL literal only. */
public enum ScalarType implements SqlType {
    VARCHAR("VARCHAR"),
    BOOLEAN("BOOLEAN"),
    INTEGER("INTEGER"),
    BIGINT("BIGINT"),
    DOUBLE("DOUBLE"),
    TIMESTAMP("TIMESTAMP(3)"),
    TIMESTAMP_LTZ("TIMESTAMP(3) WITH TIME ZONE"),
    DATE("DATE"),
    TIME("TIME"),
    INTERVAL("INTERVAL"),
    BYTES("BYTES"),
    VARIANT("VARIANT"),
    NULL("NULL");

    private final String sql;

    ScalarType(String sql) {
        this.sql = sql;
    }

    @Override
    public String sql() {
        return sql;
    }
}

package dev.sluice.serdes.row;

/** Exact numeric with precision (total digits) and scale (digits after the point). */
public record DecimalType(int precision, int scale) implements SqlType {
    public static final int MAX_PRECISION = 38;

    public DecimalType {
        if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
            throw new IllegalArgumentException("invalid DECIMAL(" + precision + ", " + scale + ")");
        }
    }

    @Override
    public String sql() {
        return "DECIMAL(" + precision + ", " + scale + ")";
    }
}

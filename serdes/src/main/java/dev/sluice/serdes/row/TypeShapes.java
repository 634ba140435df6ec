package dev.sluice.serdes.row;

/**
 * Type comparisons that look past what a STRUCT's fields say about NULL: a STRUCT read from a
 * registered schema has NOT NULL fields, one built with {@code STRUCT(K := …)} nullable ones, and
 * their values compare, join and serialize the same.
 */
public final class TypeShapes {
    private TypeShapes() {
    }

    /** Whether {@code a} and {@code b} are one type, field names included, whatever their NULL-ability. */
    public static boolean sameIgnoringNullability(SqlType a, SqlType b) {
        if (a instanceof StructType x && b instanceof StructType y) {
            if (x.fields().size() != y.fields().size()) {
                return false;
            }
            for (int i = 0; i < x.fields().size(); i++) {
                Column f = x.fields().get(i);
                Column g = y.fields().get(i);
                if (!f.name().equals(g.name()) || !sameIgnoringNullability(f.type(), g.type())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof ArrayType x && b instanceof ArrayType y) {
            return sameIgnoringNullability(x.element(), y.element());
        }
        if (a instanceof MapType x && b instanceof MapType y) {
            return sameIgnoringNullability(x.key(), y.key()) && sameIgnoringNullability(x.value(), y.value());
        }
        return a.equals(b);
    }
}

package dev.sluice.serdes.row;

import java.util.Arrays;

/**
 * A positional row: the value of column {@code i} of its {@link Schema} is {@code get(i)}.
 *
 * <p>Rows are immutable by contract. The constructor does not copy the array, because every row is
 * built by exactly one operator and handed on; callers must not keep or change the array they pass.
 */
public final class Row {
    private static final Object[] NO_VALUES = new Object[0];
    public static final Row EMPTY = new Row(NO_VALUES);

    private final Object[] values;

    public Row(Object[] values) {
        this.values = values;
    }

    public static Row of(Object... values) {
        return new Row(values.clone());
    }

    public Object get(int index) {
        return values[index];
    }

    public int size() {
        return values.length;
    }

    /** A copy of the values, for operators that build a new row from this one. */
    public Object[] toArray() {
        return values.clone();
    }

    /** A copy of the values with {@code extra} NULL slots after them, for operators that append columns. */
    public Object[] toArray(int extra) {
        return java.util.Arrays.copyOf(values, values.length + extra);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}

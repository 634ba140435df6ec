package dev.sluice.serdes.format;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which parts of a record's value the queries over a source actually read: every column, or some
 * columns by position, each either whole or (for a ROW column) some of its fields, recursively.
 * A format may skip what is not read without building its value; a skipped column or field is
 * NULL in the row. A format that cannot skip reads everything, which is always correct.
 *
 * <p>Projection pushdown, as Flink's {@code SupportsProjectionPushDown} (nested fields too) does
 * for its JSON format: the compiler knows the columns each query references, so a source serving
 * several queries (or views) reads the union of their columns.
 */
public sealed interface ReadFields {

    /** Read the whole value (the default, and what any column or field not narrowed down means). */
    ReadFields ALL = new All();

    /** Read nothing below this level (still checked to be well-formed). */
    static ReadFields none() {
        return new Some(Map.of());
    }

    /** The given positions, each read whole. */
    static ReadFields columns(int... positions) {
        Map<Integer, ReadFields> m = new TreeMap<>();
        for (int p : positions) {
            m.put(p, ALL);
        }
        return new Some(m);
    }

    /** What is read of the column or field at {@code position}; null when it is not read at all. */
    ReadFields field(int position);

    boolean isAll();

    /** What either side reads. */
    ReadFields union(ReadFields other);

    /** This, plus the path {@code path[0]}, {@code path[1]}, ... read whole (a column, a field of it, ...). */
    default ReadFields withPath(int[] path) {
        return union(ofPath(path, 0));
    }

    private static ReadFields ofPath(int[] path, int from) {
        if (from == path.length) {
            return ALL;
        }
        return new Some(Map.of(path[from], ofPath(path, from + 1)));
    }

    record All() implements ReadFields {
        @Override
        public ReadFields field(int position) {
            return this;
        }

        @Override
        public boolean isAll() {
            return true;
        }

        @Override
        public ReadFields union(ReadFields other) {
            return this;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /** Only the positions in {@code fields} (sorted), each read as its value says. */
    record Some(Map<Integer, ReadFields> fields) implements ReadFields {
        public Some {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        }

        @Override
        public ReadFields field(int position) {
            return fields.get(position);
        }

        @Override
        public boolean isAll() {
            return false;
        }

        @Override
        public ReadFields union(ReadFields other) {
            if (other instanceof Some s) {
                Map<Integer, ReadFields> m = new TreeMap<>(fields);
                s.fields.forEach((k, v) -> m.merge(k, v, ReadFields::union));
                return new Some(m);
            }
            return other;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            fields.forEach((k, v) -> {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(k);
                if (!v.isAll()) {
                    sb.append(v);
                }
            });
            return sb.append('}').toString();
        }
    }
}

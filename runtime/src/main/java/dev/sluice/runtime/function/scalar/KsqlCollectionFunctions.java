package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * ksqlDB's array and map functions, with its names, argument forms and NULL handling:
 * ARRAY_DISTINCT, ARRAY_EXCEPT, ARRAY_INTERSECT, ARRAY_UNION, ARRAY_CONCAT, ARRAY_MAX, ARRAY_MIN,
 * ARRAY_REMOVE, ARRAY_SORT, SLICE, GENERATE_SERIES, ENTRIES, AS_MAP, MAP_KEYS, MAP_VALUES, MAP_UNION.
 * Set operations keep the first occurrence's order, as ksqlDB's linked hash sets do.
 */
final class KsqlCollectionFunctions {
    private KsqlCollectionFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                unary("ARRAY_DISTINCT", l -> new ArrayList<>(new LinkedHashSet<>(l))),
                binary("ARRAY_EXCEPT", (l, r) -> {
                    Set<Object> right = new HashSet<>(r);
                    return new ArrayList<>(new LinkedHashSet<>(l).stream().filter(e -> !right.contains(e)).toList());
                }),
                binary("ARRAY_INTERSECT", (l, r) -> {
                    Set<Object> out = new LinkedHashSet<>(l);
                    out.retainAll(new HashSet<>(r));
                    return new ArrayList<>(out);
                }),
                binary("ARRAY_UNION", (l, r) -> {
                    Set<Object> out = new LinkedHashSet<>(l);
                    out.addAll(r);
                    return new ArrayList<>(out);
                }),
                arrayConcat(), extreme("ARRAY_MAX", 1), extreme("ARRAY_MIN", -1), arrayRemove(), arraySort(),
                slice(), generateSeries(), entries(), asMap(), mapKeys(), mapValues(), mapUnion(), constructor(),
                structConstructor(), mapConstructor());
    }

    /** STRUCT(name := value, ...): the analyzer names the fields; called without names they are F1, F2, ... */
    private static Fn structConstructor() {
        return Fn.of("STRUCT", args -> {
            List<Column> fields = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                fields.add(new Column("F" + (i + 1), args.get(i).type(), true));
            }
            return new StructType(fields);
        }, (args, t) -> a -> new Row(a.clone())).seeingNulls();
    }

    /** MAP(k1 := v1, ...): arguments alternate keys and values; a later duplicate key wins. */
    private static Fn mapConstructor() {
        return Fn.of("MAP", args -> {
            if (args.size() % 2 != 0) {
                throw Args.mismatch("MAP", "(key := value, ...)", args);
            }
            return new MapType(args.isEmpty() ? ScalarType.VARCHAR : args.get(0).type(),
                    args.isEmpty() ? ScalarType.NULL : args.get(1).type());
        }, (args, t) -> a -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i + 1 < a.length; i += 2) {
                out.put(a[i], a[i + 1]);
            }
            return Collections.unmodifiableMap(out);
        }).seeingNulls();
    }

    /** ARRAY[x, y, ...]: the analyzer brings the elements to one type first; NULL elements are kept. */
    private static Fn constructor() {
        return Fn.of("ARRAY", args -> {
            SqlType element = ScalarType.NULL;
            for (Expr e : args) {
                if (element == ScalarType.NULL) {
                    element = e.type();
                } else if (e.type() != ScalarType.NULL && !e.type().equals(element)) {
                    throw Args.mismatch("ARRAY", "(elements of one type)", args);
                }
            }
            return new ArrayType(element);
        }, (args, t) -> a -> Collections.unmodifiableList(java.util.Arrays.asList(a.clone()))).seeingNulls();
    }

    private static ArrayType array(String function, String expected, List<Expr> args, int i) {
        SqlType t = args.get(i).type();
        if (t instanceof ArrayType a) {
            return a;
        }
        if (t == ScalarType.NULL) {
            return new ArrayType(ScalarType.NULL);
        }
        throw Args.mismatch(function, expected, args);
    }

    private static MapType map(String function, String expected, List<Expr> args, int i) {
        SqlType t = args.get(i).type();
        if (t instanceof MapType m) {
            return m;
        }
        if (t == ScalarType.NULL) {
            return new MapType(ScalarType.VARCHAR, ScalarType.NULL);
        }
        throw Args.mismatch(function, expected, args);
    }

    /** The element type of two arrays that must agree (an untyped NULL takes the other's). */
    private static SqlType common(String function, String expected, List<Expr> args) {
        SqlType left = array(function, expected, args, 0).element();
        SqlType right = array(function, expected, args, 1).element();
        if (left == ScalarType.NULL) {
            return right;
        }
        if (right != ScalarType.NULL && !left.equals(right)) {
            throw Args.mismatch(function, expected, args);
        }
        return left;
    }

    private interface ListOp {
        List<Object> apply(List<Object> in);
    }

    private interface ListPairOp {
        List<Object> apply(List<Object> left, List<Object> right);
    }

    @SuppressWarnings("unchecked")
    private static Fn unary(String name, ListOp op) {
        return Fn.of(name, args -> {
            Args.count(name, "(ARRAY)", args, 1, 1);
            return new ArrayType(array(name, "(ARRAY)", args, 0).element());
        }, (args, t) -> a -> Collections.unmodifiableList(op.apply((List<Object>) a[0])));
    }

    /** NULL when either array is NULL. */
    @SuppressWarnings("unchecked")
    private static Fn binary(String name, ListPairOp op) {
        return Fn.of(name, args -> {
            Args.count(name, "(ARRAY, ARRAY)", args, 2, 2);
            return new ArrayType(common(name, "(ARRAY, ARRAY)", args));
        }, (args, t) -> a -> Collections.unmodifiableList(op.apply((List<Object>) a[0], (List<Object>) a[1])));
    }

    /** The elements of both; a NULL array counts as empty, and both NULL give NULL. */
    @SuppressWarnings("unchecked")
    private static Fn arrayConcat() {
        return Fn.of("ARRAY_CONCAT", args -> {
            Args.count("ARRAY_CONCAT", "(ARRAY, ARRAY)", args, 2, 2);
            return new ArrayType(common("ARRAY_CONCAT", "(ARRAY, ARRAY)", args));
        }, (args, t) -> a -> {
            if (a[0] == null && a[1] == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            if (a[0] != null) {
                out.addAll((List<Object>) a[0]);
            }
            if (a[1] != null) {
                out.addAll((List<Object>) a[1]);
            }
            return Collections.unmodifiableList(out);
        }).seeingNulls();
    }

    /** The greatest (sign 1) or least (sign -1) non-NULL element; NULL for an empty or all-NULL array. */
    private static Fn extreme(String name, int sign) {
        return Fn.of(name, args -> {
            Args.count(name, "(ARRAY)", args, 1, 1);
            SqlType element = array(name, "(ARRAY)", args, 0).element();
            if (element instanceof ArrayType || element instanceof MapType || element instanceof StructType) {
                throw Args.mismatch(name, "(ARRAY of a comparable type)", args);
            }
            return element;
        }, (args, t) -> {
            Comparisons order = Comparisons.of(t, t, true).orElseThrow();
            return a -> {
                Object best = null;
                for (Object e : (List<?>) a[0]) {
                    if (e != null && (best == null || sign * order.compare(e, best) > 0)) {
                        best = e;
                    }
                }
                return best;
            };
        });
    }

    /** Every element equal to the value removed (NULL removes the NULLs). */
    private static Fn arrayRemove() {
        return Fn.of("ARRAY_REMOVE", args -> {
            Args.count("ARRAY_REMOVE", "(ARRAY, value)", args, 2, 2);
            return new ArrayType(array("ARRAY_REMOVE", "(ARRAY, value)", args, 0).element());
        }, (args, t) -> a -> a[0] == null ? null
                : ((List<?>) a[0]).stream().filter(e -> !Objects.equals(e, a[1])).toList()).seeingNulls();
    }

    /** ARRAY_SORT(a [, 'ASC'|'DESC']): NULLs last either way; another direction gives NULL. */
    private static Fn arraySort() {
        String expected = "(ARRAY [, VARCHAR direction])";
        return Fn.of("ARRAY_SORT", args -> {
            Args.count("ARRAY_SORT", expected, args, 1, 2);
            SqlType element = array("ARRAY_SORT", expected, args, 0).element();
            if (args.size() == 2 && !Sig.fits("VARCHAR", args.get(1).type())) {
                throw Args.mismatch("ARRAY_SORT", expected, args);
            }
            return new ArrayType(element);
        }, (args, t) -> {
            SqlType element = ((ArrayType) t).element();
            Comparisons order = Comparisons.of(element, element, true).orElseThrow();
            return a -> {
                String direction = a.length > 1 ? ((String) a[1]).toUpperCase(Locale.ROOT) : "ASC";
                int sign = switch (direction) {
                    case "ASC", "ASCENDING" -> 1;
                    case "DESC", "DESCENDING" -> -1;
                    default -> 0;
                };
                if (sign == 0) {
                    return null;
                }
                List<Object> out = new ArrayList<>((List<?>) a[0]);
                out.sort((x, y) -> x == null ? (y == null ? 0 : 1) : y == null ? -1 : sign * order.compare(x, y));
                return Collections.unmodifiableList(out);
            };
        });
    }

    /** SLICE(a, from, to): 1-based, both ends included; NULL bounds mean the array's ends; out of range gives NULL. */
    private static Fn slice() {
        String expected = "(ARRAY, INTEGER, INTEGER)";
        return Fn.of("SLICE", args -> {
            Args.count("SLICE", expected, args, 3, 3);
            if (!Sig.fits("INTEGER", args.get(1).type()) || !Sig.fits("INTEGER", args.get(2).type())) {
                throw Args.mismatch("SLICE", expected, args);
            }
            return new ArrayType(array("SLICE", expected, args, 0).element());
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return null;
            }
            List<?> in = (List<?>) a[0];
            long from = a[1] == null ? 0 : Numbers.toLong(a[1]) - 1;
            long to = a[2] == null ? in.size() : Numbers.toLong(a[2]);
            if (from < 0 || to > in.size() || from > to) {
                return null;
            }
            return List.copyOf(new ArrayList<>(in.subList((int) from, (int) to)));
        }).seeingNulls();
    }

    /** GENERATE_SERIES(start, end [, step]): both ends included; a step of the wrong sign or zero fails the row. */
    private static Fn generateSeries() {
        String expected = "(INTEGER, INTEGER [, INTEGER])";
        return Fn.of("GENERATE_SERIES", args -> {
            Sig.check("GENERATE_SERIES", args, "INTEGER", "INTEGER", "[INTEGER]");
            boolean big = args.subList(0, 2).stream().anyMatch(e -> e.type() == ScalarType.BIGINT);
            return new ArrayType(big ? ScalarType.BIGINT : ScalarType.INTEGER);
        }, (args, t) -> {
            boolean big = ((ArrayType) t).element() == ScalarType.BIGINT;
            return a -> {
                long start = Numbers.toLong(a[0]);
                long end = Numbers.toLong(a[1]);
                long step = a.length > 2 ? Numbers.toLong(a[2]) : end - start >= 0 ? 1 : -1;
                if (step == 0) {
                    throw new FunctionException("GENERATE_SERIES step cannot be zero");
                }
                if ((end - start > 0 && step < 0) || (end - start < 0 && step > 0)) {
                    throw new FunctionException("GENERATE_SERIES step has wrong sign");
                }
                List<Object> out = new ArrayList<>();
                for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                    out.add(big ? (Object) v : (Object) (int) v);
                }
                return Collections.unmodifiableList(out);
            };
        });
    }

    /** ENTRIES(map, sorted): ARRAY of STRUCT&lt;K, V&gt;, sorted by key when asked. */
    @SuppressWarnings("unchecked")
    private static Fn entries() {
        String expected = "(MAP, BOOLEAN)";
        return Fn.of("ENTRIES", args -> {
            Args.count("ENTRIES", expected, args, 2, 2);
            MapType m = map("ENTRIES", expected, args, 0);
            if (!Sig.fits("BOOLEAN", args.get(1).type())) {
                throw Args.mismatch("ENTRIES", expected, args);
            }
            return new ArrayType(new StructType(List.of(new Column("K", m.key(), true),
                    new Column("V", m.value(), true))));
        }, (args, t) -> a -> {
            Map<Object, Object> in = (Map<Object, Object>) a[0];
            Map<Object, Object> ordered = Boolean.TRUE.equals(a[1]) ? new TreeMap<>(in) : in;
            List<Object> out = new ArrayList<>(in.size());
            ordered.forEach((k, v) -> out.add(new Row(new Object[]{k, v})));
            return Collections.unmodifiableList(out);
        });
    }

    /** AS_MAP(keys, values): pairs by position; a key without a value maps to NULL. */
    private static Fn asMap() {
        String expected = "(ARRAY<VARCHAR>, ARRAY)";
        return Fn.of("AS_MAP", args -> {
            Args.count("AS_MAP", expected, args, 2, 2);
            SqlType keys = array("AS_MAP", expected, args, 0).element();
            if (!Sig.fits("VARCHAR", keys)) {
                throw Args.mismatch("AS_MAP", expected, args);
            }
            return new MapType(ScalarType.VARCHAR, array("AS_MAP", expected, args, 1).element());
        }, (args, t) -> a -> {
            List<?> keys = (List<?>) a[0];
            List<?> values = (List<?>) a[1];
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                out.put(keys.get(i), i < values.size() ? values.get(i) : null);
            }
            return Collections.unmodifiableMap(out);
        });
    }

    private static Fn mapKeys() {
        return Fn.of("MAP_KEYS", args -> {
            Args.count("MAP_KEYS", "(MAP)", args, 1, 1);
            return new ArrayType(map("MAP_KEYS", "(MAP)", args, 0).key());
        }, (args, t) -> a -> List.copyOf(((Map<?, ?>) a[0]).keySet()));
    }

    private static Fn mapValues() {
        return Fn.of("MAP_VALUES", args -> {
            Args.count("MAP_VALUES", "(MAP)", args, 1, 1);
            return new ArrayType(map("MAP_VALUES", "(MAP)", args, 0).value());
        }, (args, t) -> a -> Collections.unmodifiableList(new ArrayList<>(((Map<?, ?>) a[0]).values())));
    }

    /** MAP_UNION(m1, m2): the second's entries win; a NULL map counts as empty, both NULL give NULL. */
    @SuppressWarnings("unchecked")
    private static Fn mapUnion() {
        return Fn.of("MAP_UNION", args -> {
            Args.count("MAP_UNION", "(MAP, MAP)", args, 2, 2);
            MapType left = map("MAP_UNION", "(MAP, MAP)", args, 0);
            MapType right = map("MAP_UNION", "(MAP, MAP)", args, 1);
            return left.value() == ScalarType.NULL ? right : left;
        }, (args, t) -> a -> {
            if (a[0] == null && a[1] == null) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            if (a[0] != null) {
                out.putAll((Map<Object, Object>) a[0]);
            }
            if (a[1] != null) {
                out.putAll((Map<Object, Object>) a[1]);
            }
            return Collections.unmodifiableMap(out);
        }).seeingNulls();
    }
}

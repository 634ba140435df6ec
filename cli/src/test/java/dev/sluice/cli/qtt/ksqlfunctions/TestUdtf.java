package dev.sluice.cli.qtt.ksqlfunctions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * TEST_UDTF: a table function over every kind of parameter. Seven arguments give seven rows, one
 * per argument as text (the first element of an array or value of a map); one argument gives itself
 * as the one row, of its own type.
 */
public class TestUdtf {
    /** The types Java cannot tell: a DECIMAL row of ksqlDB's test (30, 10), a struct row. */
    public static String sqlReturnType(List<String> argumentTypes) {
        return argumentTypes.get(0).startsWith("DECIMAL") ? "DECIMAL(30, 10)" : "STRUCT<A VARCHAR>";
    }

    public List<String> rows(int i, long l, double d, boolean b, String s, BigDecimal bd, Map<String, Object> struct) {
        return texts(i, l, d, b, s, bd, struct);
    }

    public List<String> rows(List<Integer> i, List<Long> l, List<Double> d, List<Boolean> b, List<String> s,
                             List<BigDecimal> bd, List<Map<String, Object>> struct) {
        return texts(i.get(0), l.get(0), d.get(0), b.get(0), s.get(0), bd.get(0), struct.get(0));
    }

    public List<String> rows(Map<String, Integer> i, Map<String, Long> l, Map<String, Double> d,
                             Map<String, Boolean> b, Map<String, String> s, Map<String, BigDecimal> bd,
                             Map<String, Map<String, Object>> struct) {
        return texts(first(i), first(l), first(d), first(b), first(s), first(bd), first(struct));
    }

    public List<Integer> rows(int i) {
        return List.of(i);
    }

    public List<Long> rows(long l) {
        return List.of(l);
    }

    public List<Double> rows(double d) {
        return List.of(d);
    }

    public List<Boolean> rows(boolean b) {
        return List.of(b);
    }

    public List<String> rows(String s) {
        return List.of(s);
    }

    public List<BigDecimal> rows(BigDecimal bd) {
        return List.of(bd);
    }

    public List<Map<String, Object>> rows(Map<String, Object> struct) {
        return List.of(struct);
    }

    private static <V> V first(Map<String, V> map) {
        return map.values().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(Object... values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            out.add(v instanceof Map<?, ?> struct ? structText((Map<String, Object>) struct) : String.valueOf(v));
        }
        return out;
    }

    /** A struct as ksqlDB's test prints it (Kafka Connect's spelling): {@code Struct{A=bar}}, NULL fields left out. */
    private static String structText(Map<String, Object> struct) {
        StringJoiner fields = new StringJoiner(",", "Struct{", "}");
        struct.forEach((name, value) -> {
            if (value != null) {
                fields.add(name + "=" + value);
            }
        });
        return fields.toString();
    }
}

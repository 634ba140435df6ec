package dev.sluice.runtime.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EqualityKeyBytes} on random nested values against a model of the equality the in-state
 * maps use: equal keys exactly for equal values, a MAP's entry order and a VARIANT object's field
 * order ignored, NULL elements and empty collections told apart, no key a prefix of another of
 * its type, and every key read back into a value with the same key.
 */
class EqualityKeyBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"", "a", "ab", "b", "\uD800", "\u00e9"};

    @Test
    void keysAreEqualExactlyForEqualValuesOnRandomNestedTypes() {
        Random random = new Random(17);
        for (int t = 0; t < 150; t++) {
            SqlType type = randomType(random, 3);
            List<Object> values = new ArrayList<>();
            for (int v = 0; v < 12; v++) {
                Object value = randomValue(random, type, 3);
                values.add(value);
                // an equal value spelled differently: maps reordered, bytes copied, decimals rescaled
                values.add(respell(random, type, value));
            }
            List<byte[]> keys = values.stream().map(v -> EqualityKeyBytes.of(type, v)).toList();
            for (int i = 0; i < values.size(); i++) {
                Object a = values.get(i);
                byte[] keyA = keys.get(i);
                Object back = EqualityKeyBytes.read(keyA, 0, type);
                assertTrue(modelEquals(type, a, back), () -> type.sql() + ": read back " + back + " for " + a);
                assertArrayEquals(keyA, EqualityKeyBytes.of(type, back), type.sql());
                for (int j = 0; j < values.size(); j++) {
                    Object b = values.get(j);
                    byte[] keyB = keys.get(j);
                    boolean equal = modelEquals(type, a, b);
                    assertEquals(equal, Arrays.equals(keyA, keyB), () -> type.sql() + ": " + a + " vs " + b);
                    if (!equal) {
                        assertFalse(isPrefix(keyA, keyB) || isPrefix(keyB, keyA),
                                () -> type.sql() + ": one key a prefix of the other: " + a + ", " + b);
                    }
                }
            }
        }
    }

    @Test
    void mapEntryOrderIsNoPartOfTheKey() {
        MapType type = new MapType(ScalarType.VARCHAR, new ArrayType(ScalarType.BIGINT));
        Map<Object, Object> forward = new LinkedHashMap<>();
        forward.put("x", List.of(1L));
        forward.put("y", Arrays.asList(2L, null));
        forward.put(null, List.of());
        Map<Object, Object> backward = new LinkedHashMap<>();
        backward.put(null, List.of());
        backward.put("y", Arrays.asList(2L, null));
        backward.put("x", List.of(1L));
        assertArrayEquals(EqualityKeyBytes.of(type, forward), EqualityKeyBytes.of(type, backward));
        backward.put("x", List.of(2L));
        assertFalse(Arrays.equals(EqualityKeyBytes.of(type, forward), EqualityKeyBytes.of(type, backward)));
    }

    @Test
    void variantObjectsIgnoreFieldOrderButNotNumberKinds() throws Exception {
        SqlType type = ScalarType.VARIANT;
        assertArrayEquals(EqualityKeyBytes.of(type, JSON.readTree("{\"a\":1,\"b\":[true,null]}")),
                EqualityKeyBytes.of(type, JSON.readTree("{\"b\":[true,null],\"a\":1}")));
        assertNotEquals(key(type, JSON.readTree("1")), key(type, JSON.readTree("1.0")));
        assertNotEquals(key(type, JSON.readTree("\"1\"")), key(type, JSON.readTree("1")));
        assertNotEquals(key(type, JSON.readTree("null")), key(type, null));
        assertEquals(key(type, JSON.readTree("12345678901")),
                key(type, JSON.getNodeFactory().numberNode(new java.math.BigInteger("12345678901"))));
    }

    @Test
    void nullsAndEmptyCollectionsAreDistinctValues() {
        ArrayType arrays = new ArrayType(ScalarType.BYTES);
        List<Object> distinct = List.of(List.of(), Collections.singletonList(null), List.of(new byte[0]),
                List.of(new byte[] {0}), List.of(new byte[0], new byte[0]));
        List<String> keys = new ArrayList<>();
        for (Object value : distinct) {
            keys.add(key(arrays, value));
        }
        keys.add(key(arrays, null));
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());

        StructType row = new StructType(List.of(new Column("a", ScalarType.VARCHAR), new Column("b", ScalarType.VARCHAR)));
        // concatenations stay apart: ("ab", "c") and ("a", "bc"), ("", NULL) and (NULL, "")
        assertNotEquals(key(row, Row.of("ab", "c")), key(row, Row.of("a", "bc")));
        assertNotEquals(key(row, Row.of("", null)), key(row, Row.of(null, "")));
        assertEquals(key(row, Row.of(null, null)), key(row, Row.of(null, null)));

        MapType map = new MapType(ScalarType.INTEGER, ScalarType.BYTES);
        Map<Object, Object> nullValue = new LinkedHashMap<>();
        nullValue.put(1, null);
        assertNotEquals(key(map, Map.of()), key(map, nullValue));
        assertEquals(key(map, Map.of(1, new byte[] {7})), key(map, Map.of(1, new byte[] {7})));
    }

    @Test
    void decimalsAreEqualByValueAndReadBackAtTheirScale() {
        DecimalType type = new DecimalType(10, 2);
        assertEquals(key(type, new BigDecimal("1.5")), key(type, new BigDecimal("1.50")));
        assertNotEquals(key(type, new BigDecimal("1.5")), key(type, new BigDecimal("1.05")));
        assertEquals(new BigDecimal("1.50"), EqualityKeyBytes.read(EqualityKeyBytes.of(type, new BigDecimal("1.5")), 0, type));
    }

    private static String key(SqlType type, Object value) {
        return Arrays.toString(EqualityKeyBytes.of(type, value));
    }

    private static boolean isPrefix(byte[] prefix, byte[] of) {
        return prefix.length < of.length && Arrays.equals(prefix, 0, prefix.length, of, 0, prefix.length);
    }

    private static SqlType randomType(Random random, int depth) {
        int pick = random.nextInt(depth == 0 ? 7 : 10);
        return switch (pick) {
            case 0 -> ScalarType.VARCHAR;
            case 1 -> ScalarType.BYTES;
            case 2 -> ScalarType.BIGINT;
            case 3 -> ScalarType.DOUBLE;
            case 4 -> new DecimalType(6, 2);
            case 5 -> ScalarType.VARIANT;
            case 6 -> ScalarType.BOOLEAN;
            case 7 -> new ArrayType(randomType(random, depth - 1));
            case 8 -> new MapType(randomType(random, depth - 1), randomType(random, depth - 1));
            default -> {
                List<Column> fields = new ArrayList<>();
                for (int i = 0, n = random.nextInt(3); i <= n; i++) {
                    fields.add(new Column("f" + i, randomType(random, depth - 1)));
                }
                yield new StructType(fields);
            }
        };
    }

    private static Object randomValue(Random random, SqlType type, int depth) {
        if (random.nextInt(6) == 0) {
            return null;
        }
        if (type instanceof DecimalType) {
            return BigDecimal.valueOf(random.nextInt(5) - 2, 2);
        }
        if (type instanceof ArrayType a) {
            List<Object> list = new ArrayList<>();
            for (int i = 0, n = random.nextInt(3); i < n; i++) {
                list.add(randomValue(random, a.element(), depth - 1));
            }
            return list;
        }
        if (type instanceof MapType m) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                Object key = randomValue(random, m.key(), depth - 1);
                if (map.keySet().stream().noneMatch(k -> modelEquals(m.key(), k, key))) {
                    map.put(key, randomValue(random, m.value(), depth - 1));
                }
            }
            return map;
        }
        if (type instanceof StructType st) {
            Object[] fields = new Object[st.fields().size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = randomValue(random, st.fields().get(i).type(), depth - 1);
            }
            return new Row(fields);
        }
        return switch ((ScalarType) type) {
            case VARCHAR -> WORDS[random.nextInt(WORDS.length)];
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(3)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt(2);
                }
                yield bytes;
            }
            case BIGINT -> (long) random.nextInt(3) - 1;
            case DOUBLE -> new double[] {0.0, -0.0, 1.5, Double.NaN}[random.nextInt(4)];
            case BOOLEAN -> random.nextBoolean();
            case VARIANT -> {
                String[] texts = {"null", "1", "1.0", "\"1\"", "[]", "[1,null]", "{}", "{\"a\":1,\"b\":{\"c\":[2]}}",
                        "{\"b\":{\"c\":[2]},\"a\":1}", "{\"a\":2}", "true"};
                try {
                    yield JSON.readTree(texts[random.nextInt(texts.length)]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new IllegalStateException(type.sql());
        };
    }

    /** An equal value in another spelling: maps in another order, fresh byte arrays, decimals at another scale. */
    private static Object respell(Random random, SqlType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type instanceof DecimalType) {
            return ((BigDecimal) value).setScale(random.nextInt(3) + 2);
        }
        if (type == ScalarType.BYTES) {
            return ((byte[]) value).clone();
        }
        if (type instanceof ArrayType a) {
            return ((List<?>) value).stream().map(e -> respell(random, a.element(), e)).toList().stream()
                    .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
        }
        if (type instanceof MapType m) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) value).entrySet());
            Collections.shuffle(entries, random);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries) {
                map.put(respell(random, m.key(), e.getKey()), respell(random, m.value(), e.getValue()));
            }
            return map;
        }
        if (type instanceof StructType st) {
            Object[] fields = new Object[st.fields().size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = respell(random, st.fields().get(i).type(), ((Row) value).get(i));
            }
            return new Row(fields);
        }
        return value;
    }

    /** The model: deep equality with maps as sets of entries, bytes by content, decimals by value. */
    private static boolean modelEquals(SqlType type, Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (type instanceof DecimalType) {
            return ((BigDecimal) a).compareTo((BigDecimal) b) == 0;
        }
        if (type == ScalarType.BYTES) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (type == ScalarType.VARIANT) {
            return ((JsonNode) a).equals((JsonNode) b);
        }
        if (type instanceof ArrayType t) {
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!modelEquals(t.element(), x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (type instanceof MapType t) {
            Map<?, ?> x = (Map<?, ?>) a;
            Map<?, ?> y = (Map<?, ?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                boolean found = false;
                for (Map.Entry<?, ?> f : y.entrySet()) {
                    if (modelEquals(t.key(), e.getKey(), f.getKey())) {
                        found = modelEquals(t.value(), e.getValue(), f.getValue());
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }
        if (type instanceof StructType t) {
            for (int i = 0; i < t.fields().size(); i++) {
                if (!modelEquals(t.fields().get(i).type(), ((Row) a).get(i), ((Row) b).get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}

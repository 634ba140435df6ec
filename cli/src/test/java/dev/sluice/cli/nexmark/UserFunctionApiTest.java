package dev.sluice.cli.nexmark;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user-function API beyond scalars (docs/udf.md), end to end through {@code sluice test --udf-jar}
 * with a jar built here that declares its functions in its manifest: variadic {@code eval}, STRUCT,
 * ARRAY, MAP and DECIMAL arguments and results (a struct result's type from {@code sqlReturnType}),
 * NULL arguments for a class that {@code acceptsNulls()}, the cheapest overload, a table function
 * ({@code rows} returning a List) used like EXPLODE, lazy CASE, and a failing function made NULL in
 * ksqlDB's dialect.
 */
class UserFunctionApiTest {
    private static final String DESCRIBE = """
            package example.api;
            import java.util.*;
            public class Describe {
                public static boolean acceptsNulls() { return true; }
                public String eval(int i, String s) { return "int:" + i + "/" + s; }
                public String eval(long l, String s) { return "long:" + l + "/" + s; }
                public String eval(long... values) { return "varargs:" + Arrays.stream(values).sum(); }
                public String eval(Map<String, Object> struct) { return struct.get("NAME") + "@" + struct.get("AGE"); }
                public String eval(List<Long> values, Map<String, Double> weights) {
                    return values.size() + ":" + new TreeMap<>(weights);
                }
            }
            """;
    private static final String MAKE_POINT = """
            package example.api;
            import java.util.*;
            public class MakePoint {
                public static String sqlReturnType(List<String> argumentTypes) {
                    return argumentTypes.get(0).startsWith("DECIMAL") ? "DECIMAL(10, 2)" : "STRUCT<X INTEGER, LABEL VARCHAR>";
                }
                public Map<String, Object> eval(int x) {
                    Map<String, Object> point = new HashMap<>();
                    point.put("x", x);
                    point.put("LABEL", "p" + x);
                    return point;
                }
                public java.math.BigDecimal eval(java.math.BigDecimal d) { return d.multiply(java.math.BigDecimal.valueOf(2)); }
                public List<String> eval(String csv) { return csv.isEmpty() ? null : Arrays.asList(csv.split(",")); }
            }
            """;
    private static final String SPLIT = """
            package example.api;
            import java.util.*;
            public class Split {
                public List<String> rows(String csv) {
                    if (csv.equals("boom")) { throw new IllegalStateException("boom"); }
                    return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
                }
            }
            """;
    private static final String ONLY_IF = """
            package example.api;
            public class OnlyIf {
                public int eval(int value, boolean allowed) {
                    if (!allowed) { throw new IllegalStateException("evaluated a branch not taken"); }
                    return value;
                }
            }
            """;

    private static final String CASES = """
            {"tests": [
              {"name": "overloads, varargs, nulls",
               "statements": ["CREATE STREAM s (K STRING KEY, I INT, L BIGINT) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, DESCRIBE(I, 'x') A, DESCRIBE(L, 'x') B, DESCRIBE(L, NULL) C, DESCRIBE(L, L, L) D FROM s;"],
               "inputs": [{"topic": "s", "key": "k", "value": {"I": 1, "L": 2}}],
               "outputs": [{"topic": "O", "key": "k", "value": {"A": "int:1/x", "B": "long:2/x", "C": "long:2/null", "D": "varargs:6"}}]},
              {"name": "struct, array and map arguments",
               "statements": ["CREATE STREAM s (K STRING KEY, P STRUCT<NAME STRING, AGE INT>, V ARRAY<BIGINT>, W MAP<STRING, DOUBLE>) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, DESCRIBE(P) A, DESCRIBE(V, W) B FROM s;"],
               "inputs": [{"topic": "s", "key": "k", "value": {"P": {"NAME": "ann", "AGE": 7}, "V": [1, 2], "W": {"b": 2.0, "a": 1.5}}}],
               "outputs": [{"topic": "O", "key": "k", "value": {"A": "ann@7", "B": "2:{a=1.5, b=2.0}"}}]},
              {"name": "struct, decimal and array results",
               "statements": ["CREATE STREAM s (K STRING KEY, X INT, D DECIMAL(4, 1), CSV STRING) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, MAKE_POINT(X) P, MAKE_POINT(X)->LABEL L, MAKE_POINT(D) D2, MAKE_POINT(CSV) A FROM s;"],
               "inputs": [{"topic": "s", "key": "k", "value": {"X": 3, "D": 1.5, "CSV": "a,b"}}],
               "outputs": [{"topic": "O", "key": "k", "value": {"P": {"X": 3, "LABEL": "p3"}, "L": "p3", "D2": 3.00, "A": ["a", "b"]}}]},
              {"name": "a table function gives a row per element; one that fails gives none",
               "statements": ["CREATE STREAM s (K STRING KEY, CSV STRING) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, SPLIT_ROWS(CSV) PART FROM s;"],
               "inputs": [{"topic": "s", "key": "a", "value": {"CSV": "x,y"}}, {"topic": "s", "key": "b", "value": {"CSV": "boom"}},
                 {"topic": "s", "key": "c", "value": {"CSV": ""}}, {"topic": "s", "key": "d", "value": {"CSV": "z"}}],
               "outputs": [{"topic": "O", "key": "a", "value": {"PART": "x"}}, {"topic": "O", "key": "a", "value": {"PART": "y"}},
                 {"topic": "O", "key": "d", "value": {"PART": "z"}}]},
              {"name": "CASE evaluates only the branch it takes",
               "statements": ["CREATE STREAM s (K STRING KEY, X INT) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, CASE WHEN X > 0 THEN ONLY_IF(1, X > 0) WHEN ONLY_IF(X, X <= 0) = 0 THEN ONLY_IF(2, X = 0) ELSE ONLY_IF(3, X < 0) END R FROM s;"],
               "inputs": [{"topic": "s", "key": "a", "value": {"X": 5}}, {"topic": "s", "key": "b", "value": {"X": 0}},
                 {"topic": "s", "key": "c", "value": {"X": -1}}],
               "outputs": [{"topic": "O", "key": "a", "value": {"R": 1}}, {"topic": "O", "key": "b", "value": {"R": 2}},
                 {"topic": "O", "key": "c", "value": {"R": 3}}]},
              {"name": "in ksqlDB's dialect a failing function is NULL and the row goes on",
               "statements": ["CREATE STREAM s (K STRING KEY, X INT) WITH (kafka_topic='s', value_format='JSON');",
                 "CREATE STREAM o AS SELECT K, ONLY_IF(X, X > 0) R FROM s;"],
               "inputs": [{"topic": "s", "key": "a", "value": {"X": 5}}, {"topic": "s", "key": "b", "value": {"X": -5}}],
               "outputs": [{"topic": "O", "key": "a", "value": {"R": 5}}, {"topic": "O", "key": "b", "value": {"R": null}}]}
            ]}
            """;

    @TempDir
    Path dir;

    @Test
    void theApiCasesPassWithTheJarAndNeedIt() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/example/api"));
        Path jar = UdfJar.build(dir, Map.of("META-INF/sluice/functions.properties", """
                        DESCRIBE = example.api.Describe
                        MAKE_POINT = example.api.MakePoint
                        SPLIT_ROWS = example.api.Split
                        ONLY_IF = example.api.OnlyIf
                        """),
                Files.writeString(src.resolve("Describe.java"), DESCRIBE),
                Files.writeString(src.resolve("MakePoint.java"), MAKE_POINT),
                Files.writeString(src.resolve("Split.java"), SPLIT),
                Files.writeString(src.resolve("OnlyIf.java"), ONLY_IF));
        Path cases = Files.writeString(dir.resolve("api.json"), CASES);

        String out = test(cases, "--udf-jar", jar.toString());
        assertTrue(out.endsWith("6 passed, 0 failed\n"), out);
        String without = test(cases);
        assertTrue(without.endsWith("0 passed, 6 failed\n"), without);
    }

    private static String test(Path cases, String... more) {
        StringWriter out = new StringWriter();
        String[] args = new String[more.length + 2];
        args[0] = "test";
        args[1] = cases.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try {
            SluiceMain.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        return out.toString();
    }
}

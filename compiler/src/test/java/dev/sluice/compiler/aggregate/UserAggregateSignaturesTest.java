package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user aggregate API beyond fixed scalar parameters (docs/udf.md): variadic columns, constant
 * initial arguments taken by {@code createAccumulator}, type variables whose binding gives the
 * result type, {@code Object} and record (STRUCT) parameters, several accumulator classes in one
 * class, and ksqlDB's words when no overload fits. The changelogs are compared in order.
 */
class UserAggregateSignaturesTest {
    /** The first column (NULL counts 0) plus the lengths of the non-NULL strings after it. */
    public static final class VarLengths {
        public static final class Total {
            public long sum;
        }

        public Total createAccumulator() {
            return new Total();
        }

        public void accumulate(Total total, Long first, String... rest) {
            total.sum += first == null ? 0 : first;
            for (String s : rest) {
                total.sum += s == null ? 0 : s.length();
            }
        }

        public Long getValue(Total total) {
            return total.sum;
        }
    }

    /** A sum of primitive variadic values: a row with a NULL among them is skipped whole. */
    public static final class SumAll {
        public static final class Total {
            public long sum;
        }

        public Total createAccumulator() {
            return new Total();
        }

        public void accumulate(Total total, long... values) {
            for (long v : values) {
                total.sum += v;
            }
        }

        public long getValue(Total total) {
            return total.sum;
        }
    }

    /** Starts at its initial arguments (a number plus the lengths of words), then adds each row's number. */
    public static final class StartAt {
        public static final class Total {
            public long sum;
        }

        public Total createAccumulator(int start, String... words) {
            Total total = new Total();
            total.sum = start;
            for (String w : words) {
                total.sum += w.length();
            }
            return total;
        }

        public void accumulate(Total total, Long n) {
            total.sum += n == null ? 0 : n;
        }

        public Long getValue(Total total) {
            return total.sum;
        }
    }

    /** The first arguments of the rows whose arguments are all non-NULL: an ARRAY of the first one's type. */
    public static final class FirstValues<A, C> {
        public static final class Kept {
            public List<Object> values = new ArrayList<>();
        }

        public Kept createAccumulator() {
            return new Kept();
        }

        @SafeVarargs
        public final void accumulate(Kept kept, A first, C... rest) {
            if (first != null && Arrays.stream(rest).allMatch(java.util.Objects::nonNull)) {
                kept.values.add(first);
            }
        }

        @SuppressWarnings("unchecked")
        public List<A> getValue(Kept kept) {
            return (List<A>) kept.values;
        }
    }

    /** The last row's arguments of any types as Java shows them: a STRUCT arrives as a map by field name. */
    public static final class Shown {
        public static final class Text {
            public String text = "";
        }

        public Text createAccumulator() {
            return new Text();
        }

        public void accumulate(Text text, Object... values) {
            text.text = Arrays.toString(values);
        }

        public String getValue(Text text) {
            return text.text;
        }
    }

    /**
     * Two aggregates in one class, each with its own accumulator class and getValue: a sum of
     * INTEGERs as BIGINT and a field-wise sum of {@code STRUCT<A INT, B INT>} as a STRUCT, both
     * retractable (so both aggregate tables). The STRUCT's accumulator is made by its constructor.
     */
    public static final class PairSum {
        public record Pair(Integer A, Integer B) {
        }

        public static final class Sum {
            public long total;
        }

        public static final class Sums {
            public int a;
            public int b;
        }

        public Sum createAccumulator() {
            return new Sum();
        }

        public void accumulate(Sum sum, Integer v) {
            sum.total += v;
        }

        public void retract(Sum sum, Integer v) {
            sum.total -= v;
        }

        public void accumulate(Sums sums, Pair p) {
            sums.a += p.A();
            sums.b += p.B();
        }

        public void retract(Sums sums, Pair p) {
            sums.a -= p.A();
            sums.b -= p.B();
        }

        public Long getValue(Sum sum) {
            return sum.total;
        }

        public Pair getValue(Sums sums) {
            return new Pair(sums.a, sums.b);
        }
    }

    private static String declare(String name, Class<?> type) {
        return "CREATE FUNCTION " + name + " AS '" + type.getName() + "';\n";
    }

    private static final String STREAM = "CREATE STREAM s (k VARCHAR KEY, n BIGINT, a VARCHAR, b VARCHAR, i INT) "
            + "WITH (kafka_topic='s', value_format='JSON');\n";

    @Test
    void variadicColumnsTakeConstantsAmongThemAndAPrimitiveOneSkipsARowWithANull() {
        try (ChangelogDriver d = new ChangelogDriver(declare("VAR_LENGTHS", VarLengths.class)
                + declare("SUM_ALL", SumAll.class) + STREAM
                + "CREATE TABLE o AS SELECT k, VAR_LENGTHS(n, a, 'xyz', b) AS r, VAR_LENGTHS(n) AS f, "
                + "SUM_ALL(n, i, 5) AS s FROM s GROUP BY k;")) {
            d.pipe("s", "x", "{\"N\":1,\"A\":\"ab\",\"B\":null,\"I\":2}", 1);
            d.pipe("s", "x", "{\"N\":null,\"A\":\"c\",\"B\":\"dd\",\"I\":3}", 2);
            d.pipe("s", "x", "{\"N\":4,\"A\":null,\"B\":null,\"I\":1}", 3);
            assertEquals(List.of("x -> {\"R\":6,\"F\":1,\"S\":8}", "x -> {\"R\":12,\"F\":1,\"S\":8}",
                    "x -> {\"R\":19,\"F\":5,\"S\":18}"), d.output("o"));
        }
    }

    @Test
    void constantsAfterTheColumnsAreCreateAccumulatorsInitialArguments() {
        try (ChangelogDriver d = new ChangelogDriver(declare("START_AT", StartAt.class) + STREAM
                + "CREATE TABLE o AS SELECT k, START_AT(n, 10, 'ab', 'c') AS r, START_AT(n, 0) AS z FROM s GROUP BY k;")) {
            d.pipe("s", "x", "{\"N\":1}", 1);
            d.pipe("s", "x", "{\"N\":5}", 2);
            assertEquals(List.of("x -> {\"R\":14,\"Z\":1}", "x -> {\"R\":19,\"Z\":6}"), d.output("o"));
        }
    }

    @Test
    void anInitialArgumentMustBeAConstantAndOneIsRequiredInKsqlDbsWords() {
        SqlException column = assertThrows(SqlException.class, () -> compile(declare("START_AT", StartAt.class)
                + STREAM + "CREATE TABLE o AS SELECT k, START_AT(n, i) AS r FROM s GROUP BY k;"));
        assertTrue(column.getMessage().contains("Parameter 2 passed to function START_AT must be a literal constant, "
                + "but was expression: 'I'"), column.getMessage());
        SqlException missing = assertThrows(SqlException.class, () -> compile(declare("START_AT", StartAt.class)
                + STREAM + "CREATE TABLE o AS SELECT k, START_AT(n, a) AS r FROM s GROUP BY k;"));
        assertTrue(missing.getMessage().contains("Function 'START_AT' does not accept parameters (BIGINT, STRING)."),
                missing.getMessage());
    }

    @Test
    void inFlinksDialectTheRefusalsNameTheOverloads() {
        SqlException e = assertThrows(SqlException.class, () -> compile(declare("start_at", StartAt.class)
                + "CREATE STREAM s (k VARCHAR, n BIGINT, i INT) WITH ('topic' = 's', 'format' = 'json');\n"
                + "CREATE TABLE o AS SELECT k, start_at(n, i) AS r FROM s GROUP BY k;"));
        assertTrue(e.getMessage().contains("START_AT: argument 2 is an initial argument of the aggregate"),
                e.getMessage());
    }

    @Test
    void aTypeVariableBindsOneTypeAcrossItsArgumentsAndGivesTheResultType() {
        String source = "CREATE STREAM s (k VARCHAR KEY, d DECIMAL(5, 1), m MAP<VARCHAR, DOUBLE>, a VARCHAR, b VARCHAR) "
                + "WITH (kafka_topic='s', value_format='JSON');\n";
        try (ChangelogDriver d = new ChangelogDriver(declare("FIRST_VALUES", FirstValues.class) + source
                + "CREATE TABLE o AS SELECT k, FIRST_VALUES(d, a, b) AS ds, FIRST_VALUES(m) AS ms FROM s GROUP BY k;")) {
            d.pipe("s", "x", "{\"D\":6.1,\"M\":{\"one\":1.5},\"A\":\"p\",\"B\":\"q\"}", 1);
            d.pipe("s", "x", "{\"D\":2,\"M\":null,\"A\":\"p\",\"B\":null}", 2);
            d.pipe("s", "x", "{\"D\":2,\"M\":{\"two\":2.0},\"A\":\"p\",\"B\":\"q\"}", 3);
            // the kept DECIMALs went through the accumulator's JSON and come back with their scale
            assertEquals(List.of("x -> {\"DS\":[6.1],\"MS\":[{\"one\":1.5}]}",
                    "x -> {\"DS\":[6.1],\"MS\":[{\"one\":1.5}]}",
                    "x -> {\"DS\":[6.1,2.0],\"MS\":[{\"one\":1.5},{\"two\":2.0}]}"), d.output("o"));
        }
        SqlException mixed = assertThrows(SqlException.class, () -> compile(declare("FIRST_VALUES", FirstValues.class)
                + source + "CREATE TABLE o AS SELECT k, FIRST_VALUES(d, a, 1) AS r FROM s GROUP BY k;"));
        assertTrue(mixed.getMessage().contains("Function 'FIRST_VALUES' does not accept parameters "
                + "(DECIMAL(5, 1), STRING, INTEGER)."), mixed.getMessage());
    }

    @Test
    void objectParametersTakeAnyTypeAndAStructArrivesAsAMapByFieldName() {
        try (ChangelogDriver d = new ChangelogDriver(declare("SHOWN", Shown.class)
                + "CREATE STREAM s (k VARCHAR KEY, p STRUCT<A INT, B VARCHAR>, l ARRAY<INT>, d DECIMAL(4, 2)) "
                + "WITH (kafka_topic='s', value_format='JSON');\n"
                + "CREATE TABLE o AS SELECT k, SHOWN(p, l, d, 'c') AS r FROM s GROUP BY k;")) {
            d.pipe("s", "x", "{\"P\":{\"A\":1,\"B\":\"b\"},\"L\":[1,2],\"D\":1.5}", 1);
            assertEquals(List.of("x -> {\"R\":\"[{A=1, B=b}, [1, 2], 1.50, c]\"}"), d.output("o"));
        }
    }

    @Test
    void eachOverloadKeepsItsOwnAccumulatorAndARecordIsAStructOverATableWithRetraction() {
        try (ChangelogDriver d = new ChangelogDriver(declare("PAIR_SUM", PairSum.class)
                + "CREATE TABLE t (id VARCHAR PRIMARY KEY, region VARCHAR, p STRUCT<A INT, B INT>, v INT) "
                + "WITH (kafka_topic='t', value_format='JSON');\n"
                + "CREATE TABLE o AS SELECT region, PAIR_SUM(p) AS ps, PAIR_SUM(v) AS vs FROM t GROUP BY region;")) {
            d.pipe("t", "1", "{\"REGION\":\"east\",\"P\":{\"A\":1,\"B\":2},\"V\":5}", 1);
            d.pipe("t", "2", "{\"REGION\":\"east\",\"P\":{\"A\":10,\"B\":20},\"V\":7}", 2);
            d.pipe("t", "1", "{\"REGION\":\"west\",\"P\":{\"A\":3,\"B\":4},\"V\":1}", 3);
            d.pipe("t", "2", null, 4);
            assertEquals(List.of(
                    "east -> {\"PS\":{\"A\":1,\"B\":2},\"VS\":5}",
                    "east -> {\"PS\":{\"A\":11,\"B\":22},\"VS\":12}",
                    "east -> {\"PS\":{\"A\":10,\"B\":20},\"VS\":7}",
                    "west -> {\"PS\":{\"A\":3,\"B\":4},\"VS\":1}",
                    "east -> {\"PS\":{\"A\":0,\"B\":0},\"VS\":0}"), d.output("o"));
        }
    }

    private static void compile(String sql) {
        new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}

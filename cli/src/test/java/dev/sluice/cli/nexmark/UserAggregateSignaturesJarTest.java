package dev.sluice.cli.nexmark;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The extended aggregate API (docs/udf.md, "Beyond fixed scalar parameters") from a jar built here,
 * loaded by a class loader the test classpath does not see: a generic class whose result type
 * follows its type variable, a record taken as a STRUCT, and constant initial arguments with a
 * variadic {@code createAccumulator}.
 */
class UserAggregateSignaturesJarTest {
    /** The kept first values: an ARRAY of the first argument's type. */
    private static final String KEPT = """
            package example.udaf;
            import java.util.ArrayList;
            import java.util.List;
            public class Kept<A> {
                public static class Acc {
                    public List<Object> values = new ArrayList<>();
                }
                public Acc createAccumulator() {
                    return new Acc();
                }
                public void accumulate(Acc acc, A value, Object... alsoNonNull) {
                    for (Object o : alsoNonNull) {
                        if (o == null) {
                            return;
                        }
                    }
                    if (value != null) {
                        acc.values.add(value);
                    }
                }
                @SuppressWarnings("unchecked")
                public List<A> getValue(Acc acc) {
                    return (List<A>) acc.values;
                }
            }
            """;

    /** A field-wise sum of ROW(a INT, b INT) values, starting at constant initial arguments. */
    private static final String PAIR_SUM = """
            package example.udaf;
            public class PairSum {
                public record Pair(Integer a, Integer b) {}
                public static class Acc {
                    public int a;
                    public int b;
                }
                public Acc createAccumulator(int start, String... more) {
                    Acc acc = new Acc();
                    acc.a = start;
                    acc.b = start + more.length;
                    return acc;
                }
                public void accumulate(Acc acc, Pair p) {
                    acc.a += p.a();
                    acc.b += p.b();
                }
                public Pair getValue(Acc acc) {
                    return new Pair(acc.a, acc.b);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aGenericAggregateAndARecordOneWithInitialArgumentsRunFromTheJar() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/example/udaf"));
        Path jar = UdfJar.build(dir, Files.writeString(src.resolve("Kept.java"), KEPT),
                Files.writeString(src.resolve("PairSum.java"), PAIR_SUM));
        Path script = Files.writeString(dir.resolve("k.sql"), """
                CREATE FUNCTION kept AS 'example.udaf.Kept';
                CREATE FUNCTION pair_sum AS 'example.udaf.PairSum';
                CREATE STREAM bids (shop VARCHAR, price DECIMAL(5, 2), p ROW<a INT, b INT>, note VARCHAR)
                    WITH ('topic' = 'bids', 'format' = 'json');
                SELECT shop, kept(price, note) AS prices, pair_sum(p, 100, 'x', 'y') AS sums FROM bids GROUP BY shop;
                """);
        Path input = Files.writeString(dir.resolve("bids.jsonl"), """
                {"shop":"s1","price":1.5,"p":{"a":1,"b":2},"note":"n"}
                {"shop":"s1","price":2,"p":{"a":10,"b":20},"note":null}
                {"shop":"s1","price":3.25,"p":{"a":5,"b":5},"note":"m"}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        int code;
        try {
            code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "replay", "--changelog",
                    script.toString(), "--udf-jar", jar.toString(), "--input", "bids=" + input);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertEquals(0, code, err.toString());
        // the second row's NULL note keeps its price out; the sums start at (100, 100 + 2 extra words)
        assertEquals("""
                {"op":"+I","shop":"s1","prices":[1.5],"sums":{"a":101,"b":104}}
                {"op":"-U","shop":"s1","prices":[1.5],"sums":{"a":101,"b":104}}
                {"op":"+U","shop":"s1","prices":[1.5],"sums":{"a":111,"b":124}}
                {"op":"-U","shop":"s1","prices":[1.5],"sums":{"a":111,"b":124}}
                {"op":"+U","shop":"s1","prices":[1.5,3.25],"sums":{"a":116,"b":129}}
                """, out.toString());
    }
}

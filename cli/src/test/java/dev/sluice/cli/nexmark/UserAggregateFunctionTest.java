package dev.sluice.cli.nexmark;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CREATE FUNCTION name AS 'class'} of an aggregate class (createAccumulator / accumulate /
 * retract / merge / getValue) from a jar built here: in a window over a stream, over a table (which
 * needs retract), and a throwing accumulate that fails only its record.
 */
class UserAggregateFunctionTest {
    /** A weighted average whose accumulator is a plain object with fields (kept as JSON). */
    private static final String WEIGHTED = """
            package example.udaf;
            public class WeightedAvg {
                public static class Acc {
                    public long sum;
                    public long weights;
                }
                public Acc createAccumulator() {
                    return new Acc();
                }
                public void accumulate(Acc acc, long value, int weight) {
                    if (value == 13) {
                        throw new IllegalArgumentException("unlucky value");
                    }
                    acc.sum += value * weight;
                    acc.weights += weight;
                }
                public void retract(Acc acc, long value, int weight) {
                    acc.sum -= value * weight;
                    acc.weights -= weight;
                }
                public void merge(Acc acc, Iterable<Acc> others) {
                    for (Acc o : others) {
                        acc.sum += o.sum;
                        acc.weights += o.weights;
                    }
                }
                public Double getValue(Acc acc) {
                    return acc.weights == 0 ? null : (double) acc.sum / acc.weights;
                }
            }
            """;

    /** An aggregate without retract: usable over a stream, refused over a table. */
    private static final String LONGEST = """
            package example.udaf;
            public class Longest {
                public StringBuilder createAccumulator() {
                    return new StringBuilder();
                }
                public void accumulate(StringBuilder acc, String s) {
                    if (s.length() > acc.length()) {
                        acc.setLength(0);
                        acc.append(s);
                    }
                }
                public String getValue(StringBuilder acc) {
                    return acc.toString();
                }
            }
            """;

    @TempDir
    Path dir;

    private Path jar() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/example/udaf"));
        return UdfJar.build(dir, Files.writeString(src.resolve("WeightedAvg.java"), WEIGHTED),
                Files.writeString(src.resolve("Longest.java"), LONGEST));
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try {
            return SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), args);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void anAggregateFromTheJarAggregatesEachWindowAndAThrowingRowFailsOnlyItself() throws Exception {
        Path jar = jar();
        Path script = Files.writeString(dir.resolve("w.sql"), """
                CREATE FUNCTION weighted_avg AS 'example.udaf.WeightedAvg';
                CREATE FUNCTION longest AS 'example.udaf.Longest';
                CREATE STREAM bids (item VARCHAR, price BIGINT, qty INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
                    WITH ('topic' = 'bids', 'format' = 'json');
                SELECT window_start, weighted_avg(price, qty) AS avg_price, longest(item) AS longest_item
                FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
                GROUP BY window_start, window_end;
                """);
        Path input = Files.writeString(dir.resolve("bids.jsonl"), """
                {"item":"pen","price":10,"qty":1,"ts":"2024-01-01 00:00:01"}
                {"item":"notebook","price":20,"qty":3,"ts":"2024-01-01 00:00:02"}
                {"item":"a very long name","price":13,"qty":5,"ts":"2024-01-01 00:00:03"}
                {"item":"ink","price":4,"qty":2,"ts":"2024-01-01 00:00:12"}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "replay", script.toString(), "--udf-jar", jar.toString(), "--input", "bids=" + input);
        assertEquals(0, code, err.toString());
        // window 1: (10*1 + 20*3) / 4 = 17.5, the throwing row (price 13) left out whole
        assertEquals("""
                {"window_start":"2024-01-01T00:00:00.000Z","avg_price":17.5,"longest_item":"notebook"}
                {"window_start":"2024-01-01T00:00:10.000Z","avg_price":4.0,"longest_item":"ink"}
                """, out.toString());
        assertTrue(err.toString().contains("1 bad record(s) skipped"), err.toString());
    }

    @Test
    void overATableAnUpdateRetractsTheOldRowThroughRetract() throws Exception {
        Path jar = jar();
        Path script = Files.writeString(dir.resolve("t.sql"), """
                CREATE FUNCTION weighted_avg AS 'example.udaf.WeightedAvg';
                CREATE TABLE stock (sku VARCHAR PRIMARY KEY, shop VARCHAR, price BIGINT, qty INT)
                    WITH ('topic' = 'stock', 'format' = 'json');
                SELECT shop, weighted_avg(price, qty) AS avg_price FROM stock GROUP BY shop;
                """);
        Path input = Files.writeString(dir.resolve("stock.jsonl"), """
                {"sku":"a","shop":"s1","price":10,"qty":1}
                {"sku":"b","shop":"s1","price":30,"qty":1}
                {"sku":"a","shop":"s1","price":50,"qty":1}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "replay", "--changelog", script.toString(), "--udf-jar", jar.toString(),
                "--input", "stock=" + input);
        assertEquals(0, code, err.toString());
        String log = out.toString();
        // a's update from 10 to 50 takes 10 back out: (30 + 50) / 2
        assertTrue(log.trim().endsWith("\"shop\":\"s1\",\"avg_price\":40.0}"), log);
        assertTrue(log.contains("\"avg_price\":20.0"), log);
    }

    @Test
    void anAggregateWithoutRetractIsRefusedOverATableAtItsCall() throws Exception {
        Path jar = jar();
        Path script = Files.writeString(dir.resolve("r.sql"), """
                CREATE FUNCTION longest AS 'example.udaf.Longest';
                CREATE TABLE stock (sku VARCHAR PRIMARY KEY, shop VARCHAR) WITH ('topic' = 'stock', 'format' = 'json');
                SELECT shop, longest(sku) AS s FROM stock GROUP BY shop;
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "compile", script.toString(), "--udf-jar", jar.toString());
        assertEquals(65, code, err.toString());
        assertTrue(err.toString().contains("r.sql:3:14: error: LONGEST cannot be computed over a table"), err.toString());
    }
}

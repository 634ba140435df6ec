package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Over a table, a retraction takes out a different one of two equal ARRAY_AGG elements in each
 * dialect: Flink's ARRAY_AGG (and LISTAGG) remove the first arrival ({@code ListView#remove}),
 * ksqlDB's COLLECT_LIST the latest. Rows 1:a, 2:b, 3:a, then 1 becomes c: Flink gives
 * {@code [a] [a,b] [a,b,a] [b,a] [b,a,c]} (the Flink 1.20.3 oracle on the same rows, a global
 * ARRAY_AGG over {@code SELECT id, LAST_VALUE(v) ... GROUP BY id}, whose upstream sends the -U and
 * the +U of row 1 apart, hence its {@code [b,a]}; Sluice's table sends one change and so one
 * update), ksqlDB {@code [a,b] [a,b,c]} at the end. Both with the elements in {@code <step>-elements-store} and (a constant second argument
 * of a Flink ORDER BY keeps the list in the value) in the aggregate's value.
 */
class ArrayAggRetractionDialectTest {

    @Test
    void flinkTakesOutTheFirstEqualElement() {
        String sql = "CREATE TABLE r (id VARCHAR PRIMARY KEY, g VARCHAR, v VARCHAR) WITH ('topic' = 'r', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT g, ARRAY_AGG(v) AS arr, COLLECT_LIST(v) AS alias, "
                + "ARRAY_AGG(v ORDER BY 'x') AS in_value FROM r GROUP BY g";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            pipe(d, "r", "g");
            List<String> rows = d.read();
            List<String> arrays = rows.stream().filter(r -> r.contains("+I") || r.contains("+U"))
                    .map(r -> r.replaceAll(".*\"arr\":(\\[[^]]*]).*\"alias\":(\\[[^]]*]).*\"in_value\":(\\[[^]]*]).*",
                            "$1 $2 $3"))
                    .toList();
            assertEquals(List.of("[\"a\"] [\"a\"] [\"a\"]", "[\"a\",\"b\"] [\"a\",\"b\"] [\"a\",\"b\"]",
                    "[\"a\",\"b\",\"a\"] [\"a\",\"b\",\"a\"] [\"a\",\"b\",\"a\"]",
                    "[\"b\",\"a\",\"c\"] [\"b\",\"a\",\"c\"] [\"b\",\"a\",\"c\"]"), arrays, rows.toString());
        }
    }

    @Test
    void ksqlTakesOutTheLatestEqualElement() {
        String sql = "CREATE TABLE r (id VARCHAR PRIMARY KEY, g VARCHAR, v VARCHAR) "
                + "WITH (kafka_topic = 'r', value_format = 'json');\n"
                + "CREATE TABLE c AS SELECT g, COLLECT_LIST(v) AS arr FROM r GROUP BY g";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            pipe(d, "r", "G");
            List<String> rows = d.read();
            assertEquals("g -> {\"ARR\":[\"a\",\"b\",\"c\"]} @4000", rows.get(rows.size() - 1), rows.toString());
            assertEquals(List.of("g -> {\"ARR\":[\"a\"]} @1000", "g -> {\"ARR\":[\"a\",\"b\"]} @2000",
                    "g -> {\"ARR\":[\"a\",\"b\",\"a\"]} @3000"), rows.subList(0, 3));
        }
    }

    private static void pipe(ChangelogDriver d, String topic, String groupColumn) {
        String[][] rows = {{"1", "a"}, {"2", "b"}, {"3", "a"}, {"1", "c"}};
        for (int i = 0; i < rows.length; i++) {
            String id = groupColumn.equals("G") ? "" : "\"id\":\"" + rows[i][0] + "\",";
            d.pipe(topic, rows[i][0], "{" + id + "\"" + groupColumn + "\":\"g\",\"" + (groupColumn.equals("G") ? "V" : "v")
                    + "\":\"" + rows[i][1] + "\"}", 1_000L * (i + 1));
        }
    }
}

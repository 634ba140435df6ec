package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.QueryPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ksqlDB's join keys in the plan: which projected column a ksqlDB-dialect sink writes as the record
 * key (the first viable join column in the SELECT, a synthetic ROWKEY, a foreign-key join's left
 * key), and Flink-style joins left as they were.
 */
class KsqlJoinKeyTest {
    private static final String STREAMS = """
            CREATE STREAM L (A INT KEY, B INT) WITH (kafka_topic='l', value_format='JSON');
            CREATE STREAM R (A INT KEY, C INT) WITH (kafka_topic='r', value_format='JSON');
            """;

    @Test
    void theRightColumnIsTheKeyWhenTheLeftSideOfOnIsAnExpression() {
        QueryPlan plan = sink(STREAMS + "CREATE STREAM OUT AS SELECT L.*, R.* FROM L JOIN R WITHIN 1 SECOND "
                + "ON ABS(L.A) = R.A;");
        assertEquals(List.of("R_A"), keyNames(plan));
    }

    @Test
    void theFirstProjectedViableColumnIsTheKey() {
        QueryPlan plan = sink(STREAMS + "CREATE STREAM OUT AS SELECT L.B, R.A, L.A AS X FROM L JOIN R WITHIN 1 SECOND "
                + "ON L.A = R.A;");
        // L.A comes first among ksqlDB's viable columns, so it is the key although R.A is selected first
        assertEquals(List.of("X"), keyNames(plan));
    }

    @Test
    void aFullJoinHasASyntheticRowkeyFirstInStar() {
        QueryPlan plan = sink(STREAMS + "CREATE STREAM OUT AS SELECT * FROM L FULL OUTER JOIN R WITHIN 1 SECOND "
                + "ON L.A = R.A;");
        assertEquals(List.of("ROWKEY"), keyNames(plan));
        assertEquals("ROWKEY", plan.root().schema().column(0).name());
    }

    @Test
    void theSyntheticKeyIsNumberedPastTheSourcesRowkeyColumns() {
        QueryPlan plan = sink("""
                CREATE TABLE L (ROWKEY INT PRIMARY KEY, ROWKEY_1 INT) WITH (kafka_topic='l', value_format='JSON');
                CREATE TABLE R (ROWKEY_2 INT PRIMARY KEY, V INT) WITH (kafka_topic='r', value_format='JSON');
                CREATE TABLE OUT AS SELECT ROWKEY_3, L.ROWKEY_1, V FROM L FULL OUTER JOIN R ON L.ROWKEY = R.ROWKEY_2;
                """);
        assertEquals(List.of("ROWKEY_3"), keyNames(plan));
    }

    @Test
    void aSelectWithoutAJoinColumnIsRefusedWithKsqlDbsWords() {
        SqlException e = assertThrows(SqlException.class, () -> sink(STREAMS
                + "CREATE STREAM OUT AS SELECT L.B, R.C FROM L JOIN R WITHIN 1 SECOND ON L.A = R.A;"));
        assertTrue(e.getMessage().contains("The query used to build `OUT` must include the join expressions L.A or R.A "
                + "in its projection (eg, SELECT L.A...)."), e.getMessage());
    }

    @Test
    void aForeignKeyJoinIsKeyedByTheLeftTablesKey() {
        QueryPlan plan = sink("""
                CREATE TABLE I (ID INT PRIMARY KEY, SHOP INT, N STRING) WITH (kafka_topic='i', value_format='JSON');
                CREATE TABLE S (SID INT PRIMARY KEY, CITY STRING) WITH (kafka_topic='s', value_format='JSON');
                CREATE TABLE OUT AS SELECT SID, N, ID, CITY FROM I JOIN S ON SHOP = SID;
                """);
        assertEquals(List.of("ID"), keyNames(plan));
    }

    @Test
    void aTableJoinedOnAnotherColumnThanItsKeyIsRefusedWithKsqlDbsWords() {
        SqlException e = assertThrows(SqlException.class, () -> sink("""
                CREATE TABLE A (ID INT PRIMARY KEY, X INT) WITH (kafka_topic='a', value_format='JSON');
                CREATE TABLE B (ID INT PRIMARY KEY, Y INT) WITH (kafka_topic='b', value_format='JSON');
                CREATE TABLE OUT AS SELECT A.ID, Y FROM A JOIN B ON A.ID = Y;
                """));
        assertEquals("Invalid join condition: table-table joins require to join on the primary key of the right "
                + "input table. Got A.ID = B.Y.", e.getMessage());
    }

    @Test
    void aFlinkJoinKeepsEveryColumnInTheValue() {
        QueryPlan plan = sink("""
                CREATE STREAM l (a INT, b INT) WITH ('topic' = 'l', 'format' = 'json');
                CREATE STREAM r (a INT, c INT) WITH ('topic' = 'r', 'format' = 'json');
                CREATE STREAM out1 AS SELECT l.a, b, c FROM l JOIN r ON l.a = r.a;
                """);
        assertEquals(List.of(), plan.sinkKeyColumns());
    }

    private static List<String> keyNames(QueryPlan plan) {
        return plan.sinkKeyColumns().stream().map(i -> plan.root().schema().column(i).name()).toList();
    }

    private static QueryPlan sink(String sql) {
        List<CompiledQuery> queries = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "t", BuildOptions.PRODUCTION).queries();
        return queries.get(queries.size() - 1).plan();
    }
}

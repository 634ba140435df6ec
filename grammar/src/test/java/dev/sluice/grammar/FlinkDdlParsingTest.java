package dev.sluice.grammar;

import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.TypeSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Flink DDL forms the Nexmark files use: ROW types, computed columns, lookup joins, functions. */
class FlinkDdlParsingTest {

    private static void roundTrips(Statement s) {
        assertEquals(s, SqlParser.parseStatement(SqlFormatter.format(s)), SqlFormatter.format(s));
    }

    @Test
    void aTableWithRowColumnsAComputedColumnAndAWatermarkOnIt() {
        Statement.CreateSource c = assertInstanceOf(Statement.CreateSource.class, SqlParser.parseStatement("""
                CREATE TABLE kafka (
                    event_type INT,
                    bid ROW<auction BIGINT, `dateTime` TIMESTAMP(3)>,
                    person ROW(id BIGINT, name VARCHAR),
                    `dateTime` AS CASE WHEN event_type = 2 THEN bid.`dateTime` END,
                    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
                ) PARTITIONED BY (event_type) WITH ('connector' = 'kafka', 'topic' = 'nexmark')"""));
        assertEquals(3, c.columns().size());
        TypeSpec.Struct bid = assertInstanceOf(TypeSpec.Struct.class, c.columns().get(1).type());
        assertEquals("dateTime", bid.fields().get(1).name().value());
        assertInstanceOf(TypeSpec.Struct.class, c.columns().get(2).type());
        assertEquals("dateTime", c.computedColumns().get(0).name().value());
        assertEquals("dateTime", c.watermark().orElseThrow().column().value());
        assertEquals("event_type", c.partitionedBy().get(0).value());
        roundTrips(c);
    }

    @Test
    void createFunctionNamesAJavaClass() {
        Statement.CreateFunction f = assertInstanceOf(Statement.CreateFunction.class, SqlParser.parseStatement(
                "CREATE TEMPORARY FUNCTION IF NOT EXISTS count_char AS 'com.example.CountChar' LANGUAGE JAVA"));
        assertEquals("count_char", f.name().simpleName());
        assertEquals("com.example.CountChar", f.className());
        assertTrue(f.ifNotExists());
        roundTrips(f);
        SqlException python = assertThrows(SqlException.class,
                () -> SqlParser.parseStatement("CREATE FUNCTION f AS 'm.f' LANGUAGE PYTHON"));
        assertTrue(python.getMessage().contains("LANGUAGE JAVA, not PYTHON"), python.getMessage());
    }

    @Test
    void aLookupJoinReadsItsTableAsOfATime() {
        Statement s = SqlParser.parseStatement("SELECT b.auction, s.v FROM bid b "
                + "JOIN side_input FOR SYSTEM_TIME AS OF b.p_time AS s ON b.auction = s.key");
        Relation.Join join = assertInstanceOf(Relation.Join.class,
                ((dev.sluice.grammar.ast.QueryBody.Select) ((Statement.QueryStatement) s).query().body()).from()
                        .orElseThrow());
        Relation.TemporalTable side = assertInstanceOf(Relation.TemporalTable.class, join.right());
        assertEquals("side_input", side.name().simpleName());
        assertEquals("s", side.alias().orElseThrow().value());
        roundTrips(s);
    }
}

package dev.sluice.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

/** A script's SELECT over a system table is a checked pull query; a continuous query over one is refused at its name. */
class SystemTableQueriesTest {
    private static final String ORDERS = "CREATE STREAM orders (id BIGINT) WITH ('topic' = 'orders', 'format' = 'json');\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "sys", BuildOptions.PRODUCTION);
    }

    @Test
    void aSelectOverASystemTableCompilesAsAPullQueryOutsideTheTopology() {
        CompiledScript s = compile(ORDERS + "SELECT partition, end_offset - current_offset AS lag\n"
                + "FROM system.kafka_consumer_status WHERE stream_name = 'orders';\n");
        assertTrue(s.queries().isEmpty(), s.queries().toString());
        assertTrue(s.notes().contains("line 2: a pull query of system.kafka_consumer_status (a snapshot of the running "
                + "application, not part of the topology): `sluice run --http-port` answers it, asked with sluice query "
                + "or POST /query-stream (docs/serving.md)"), s.notes().toString());
    }

    @Test
    void aColumnASystemTableDoesNotHaveIsAnErrorAtItsPlaceInTheScript() {
        SqlException e = assertThrows(SqlException.class, () -> compile(ORDERS
                + "SELECT records_inn FROM system.stream_statistics;\n"));
        assertEquals(2, e.line(), e.getMessage());
        assertEquals(8, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains("records_inn"), e.getMessage());
        assertTrue(e.hint().orElse("").contains("records_in"), e.hint().toString());
    }

    @Test
    void aContinuousQueryOverASystemTableIsRefusedAtTheTableName() {
        SqlException emit = assertThrows(SqlException.class, () -> compile(
                "SELECT * FROM system.stream_statistics EMIT CHANGES;\n"));
        assertTrue(emit.getMessage().contains("system.stream_statistics is a snapshot of the running application, not a "
                + "stream: EMIT CHANGES cannot follow it"), emit.getMessage());
        SqlException persistent = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM stats WITH ('topic' = 'stats', 'format' = 'json') AS\nSELECT * FROM system.stream_statistics;\n"));
        assertTrue(persistent.getMessage().contains("a continuous query cannot read it"), persistent.getMessage());
        assertEquals(2, persistent.line());
        assertEquals(15, persistent.column());
    }

    /** Found by the fuzzer: a comment between `system.` and the name made the check recurse until the stack overflowed. */
    @Test
    void aCommentBetweenSystemAndTheTableNameIsStillAPullQuery() {
        CompiledScript s = compile("SELECT * FROM SYSTEM.-- Check stream schema;\n\nSTREAMS\n");
        assertTrue(s.queries().isEmpty(), s.queries().toString());
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("line 1: a pull query of system.streams")), s.notes().toString());
    }
}

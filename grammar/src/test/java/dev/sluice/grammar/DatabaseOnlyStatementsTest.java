package dev.sluice.grammar;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 002's UPDATE, DELETE, BEGIN/COMMIT and ANALYZE: an error that says where to run them. */
class DatabaseOnlyStatementsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "UPDATE training_runs SET status = 'failed' WHERE model_name = 'x'|UPDATE changes rows in the database: run it there (psql)",
        "DELETE FROM training_runs WHERE status = 'cancelled'|DELETE removes rows in the database: run it there (psql)",
        "BEGIN|BEGIN opens a database transaction: run the transaction in the database (psql)",
        "COMMIT|COMMIT ends a database transaction: run it in the database (psql)",
        "ANALYZE training_runs|ANALYZE updates the database's planner statistics: run it in the database (psql)"})
    void aStatementOnlyADatabaseRunsSaysWhereToRunIt(String sql, String message) {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parseScript("SELECT 1 AS one;\n" + sql + ";"));
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}

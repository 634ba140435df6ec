package dev.sluice.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

/**
 * A format name in WITH is checked where it is written: an unknown one was an internal error while
 * the topology built its serdes (found by {@code sluice fuzz}).
 */
class SourceDeclarationsFormatTest {

    private static SqlException error(String sql) {
        return assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "formats", BuildOptions.PRODUCTION));
    }

    @Test
    void anUnknownFormatIsASqlErrorAtItsValueWithADidYouMean() {
        SqlException e = error("CREATE STREAM s (a BIGINT) WITH ('topic' = 't',\n  'format' = 'jsn');\nSELECT a FROM s;");
        assertEquals("unknown format 'jsn' in 'format'", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(14, e.column());
        assertTrue(e.hint().orElseThrow().startsWith("did you mean 'json'?"), e.hint().orElseThrow());
    }

    @Test
    void aFormatThatIsNotANameIsASqlError() {
        SqlException e = error("CREATE STREAM s (a BIGINT) WITH ('topic' = 't', 'value_format' = CAST(NULL AS VARCHAR));\n"
                + "SELECT a FROM s;");
        assertEquals("'value_format' takes a format name, such as 'json'", e.getMessage());
    }

    @Test
    void aSerdeClassMakesTheFormatNameInformational() {
        new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(
                "CREATE STREAM s (a VARCHAR) WITH ('topic' = 't', 'format' = 'whatever',"
                        + " 'value.serde' = 'org.apache.kafka.common.serialization.Serdes$StringSerde');\nSELECT a FROM s;",
                "formats", BuildOptions.PRODUCTION);
    }
}

package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Formats and option values are checked where they are written: a SQL error at the property, not a crash. */
class FormatCheckTest {
    private static final String COLUMNS = "(id VARCHAR PRIMARY KEY, n INT)";

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("CREATE TABLE t " + COLUMNS + " WITH ('topic' = 't', 'format' = 'jsn')",
                        "line 1:69: unknown format 'jsn'", "did you mean `json`?"),
                arguments("CREATE TABLE t " + COLUMNS + " WITH ('topic' = 't', 'value_format' = 'avor')",
                        "line 1:69: unknown format 'avor'", "did you mean `avro`?"),
                arguments("CREATE TABLE t " + COLUMNS + " WITH ('topic' = 't', 'format' = 'json', 'key.format' = 'kafak')",
                        "line 1:88: unknown format 'kafak'", "did you mean `kafka`?"),
                arguments("CREATE TABLE t " + COLUMNS + " WITH ('topic' = 't', 'lookup' = 'globl')",
                        "line 1:80: 'lookup' = 'globl' is not a known value",
                        "did you mean `global`? ('lookup' is one of global, partitioned)"),
                arguments("CREATE STREAM s (a INT) WITH ('topic' = 's', 'format' = 'json');\n"
                                + "CREATE STREAM s2 WITH ('format' = 'jsonn') AS SELECT a FROM s",
                        "line 2:24: unknown format 'jsonn'", "did you mean `json`?"),
                arguments("CREATE STREAM s (a INT) WITH ('connector' = 'kafak', 'topic' = 's', 'format' = 'json')",
                        "line 1:45: unknown connector 'kafak'", "did you mean `kafka`?"),
                arguments("CREATE STREAM s (a INT) WITH ('topic' = 's', 'format' = 'json');\n"
                                + "CREATE TABLE c WITH ('connector' = 'upsert-kafak') AS SELECT a, COUNT(*) AS n FROM s GROUP BY a",
                        "line 2:36: unknown connector 'upsert-kafak'", "did you mean `upsert-kafka`?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void anUnknownFormatOrOptionValueIsAnErrorAtItsPropertyWithADidYouMean(String sql, String expected, String hint) {
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "test", BuildOptions.PRODUCTION));
        assertEquals(expected, e.positioned());
        assertEquals(hint, e.hint().map(h -> h.replaceAll(" \\((formats|connectors):.*$", ""))
                .orElse(null));
        assertEquals(Optional.ofNullable(hint).isPresent(), e.hint().isPresent());
    }
}

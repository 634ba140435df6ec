package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.TopicSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * WITH options are typed once, during analysis: a value Sluice cannot use is a SQL error at the
 * value (line:col, with a did-you-mean for a choice), and an option Sluice does not know passes
 * through to the format or connector that reads it.
 */
class WithOptionsTest {
    private static final String STREAM = "CREATE STREAM s (a INT, ts TIMESTAMP(3)) WITH ('topic' = 's', 'format' = 'json', ";

    private static CompiledScriptHolder compile(String sql) {
        return new CompiledScriptHolder(new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "test", BuildOptions.PRODUCTION));
    }

    private record CompiledScriptHolder(dev.sluice.compiler.CompiledScript script) {
        SourceDefinition source(String name) {
            return script.sources().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst().orElseThrow();
        }
    }

    static Stream<Arguments> badValues() {
        // the column each message gives is where the value starts; ksqlDB's unquoted keys read in upper case
        return Stream.of(
                arguments(STREAM + "'partitions' = 'three')", "line 1:97: 'partitions' = 'three' is not a whole number",
                        "write a number such as 1"),
                arguments(STREAM + "'partitions' = 0)", "line 1:97: 'partitions' = 0 is out of range",
                        "'partitions' is between 1 and 2147483647"),
                arguments(STREAM + "'replicas' = 40000)", "line 1:95: 'replicas' = 40000 is out of range",
                        "'replicas' is between 1 and 32767"),
                arguments(STREAM + "'scan.startup.mode' = 'earliest-ofset')",
                        "line 1:104: 'scan.startup.mode' = 'earliest-ofset' is not a known value",
                        "did you mean `earliest-offset`? ('scan.startup.mode' is one of earliest-offset, "
                                + "latest-offset, group-offsets, timestamp, specific-offsets)"),
                arguments(STREAM + "'timestamp_format' = 'yyyy-MM-dd ppp')",
                        "line 1:103: 'timestamp_format' = 'yyyy-MM-dd ppp' is not a date-time pattern: "
                                + "Pad letter 'p' must be followed by valid pad pattern: yyyy-MM-dd ppp",
                        "write a pattern such as 'yyyy-MM-dd''T''HH:mm:ss.SSS'"),
                arguments(STREAM + "'changelog.mode' = 'retracts')",
                        "line 1:101: 'changelog.mode' = 'retracts' is not a known value",
                        "did you mean `retract`? ('changelog.mode' is one of retract, upsert)"),
                arguments(STREAM + "'wrap_single_value' = 'yes')",
                        "line 1:104: 'wrap_single_value' = 'yes' is not true or false", "write true or false"),
                arguments("CREATE STREAM s (a INT) WITH (kafka_topic = 's', value_format = 'json', partitions = 'x')",
                        "line 1:86: 'PARTITIONS' = 'x' is not a whole number", "write a number such as 1"),
                arguments("CREATE STREAM s (a INT) WITH (kafka_topic = 's', value_format = 'json', window_type = 'tumbeling')",
                        "line 1:87: 'WINDOW_TYPE' = 'tumbeling' is not a known value",
                        "did you mean `tumbling`? ('WINDOW_TYPE' is one of tumbling, hopping, session)"),
                arguments("CREATE STREAM s (a INT) WITH (kafka_topic = 's', value_format = 'json', window_size = 'ten seconds')",
                        "line 1:87: 'ten seconds' is not a duration", "write e.g. '1 minute' or '30 seconds'"),
                arguments("CREATE STREAM s (a INT) WITH ('topic' = 's', 'format' = 'json');\n"
                                + "CREATE TABLE c WITH ('partitions' = '-2') AS SELECT a, COUNT(*) AS n FROM s GROUP BY a",
                        "line 2:37: 'partitions' = -2 is out of range", "'partitions' is between 1 and 2147483647"),
                arguments("CREATE STREAM s WITH (datasource = 'file:///tmp/none/*.csv', format = 'csv', sample_size = 'all')",
                        "line 1:92: 'sample_size' = 'all' is not a whole number", "write a number such as 1"),
                arguments("CREATE STREAM s WITH (datasource = 'file:///tmp/none/*.csv', format = 'csv', compression = 'lz5')",
                        "line 1:92: 'compression' = 'lz5' is not a known value",
                        "did you mean `lz4`? ('compression' is one of auto, none, gzip, snappy, lz4, zstd)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueOfAKnownOptionIsAnErrorAtTheValue(String sql, String expected, String hint) {
        SqlException e = assertThrows(SqlException.class, () -> compile(sql));
        assertEquals(expected, e.positioned());
        assertEquals(Optional.of(hint), e.hint());
    }

    @Test
    void partitionsReplicasAndRetentionAreTypedOnTheSourceAndTheSink() {
        var compiled = compile(STREAM + "'partitions' = 6, 'replicas' = 3, 'retention_ms' = '-1');\n"
                + "CREATE TABLE c WITH ('topic' = 'counts', 'partitions' = '2') AS SELECT a, COUNT(*) AS n FROM s GROUP BY a");
        assertEquals(new TopicSettings(OptionalInt.of(6), Optional.of((short) 3), OptionalLong.of(-1)),
                compiled.source("s").format().topicSettings());
        assertEquals(new TopicSettings(OptionalInt.of(2), Optional.empty(), OptionalLong.empty()),
                compiled.script().queries().get(0).plan().sink().orElseThrow().topicSettings());
    }

    @Test
    void optionsSluiceDoesNotKnowPassThroughAsWritten() {
        var compiled = compile(STREAM + "'properties.bootstrap.servers' = 'kafka:9092', "
                + "'properties.group.id' = 'g', 'some.connector.setting' = 'anything at all')");
        assertEquals("anything at all", compiled.source("s").format().properties().get("some.connector.setting"));
        assertEquals("kafka:9092", compiled.source("s").format().properties().get("properties.bootstrap.servers"));
    }

    @Test
    void theFirstListedSpellingOfATopicWins() {
        var compiled = compile("CREATE STREAM s (a INT) WITH ('kafka_topic' = 'second', 'topic' = 'first', 'format' = 'json')");
        assertEquals("first", compiled.source("s").format().topic());
    }
}

package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** on_error / dlq_topic on sources become the application's Kafka Streams error settings. */
class SourceDeclarationsErrorPolicyTest {
    private static final String DLQ = "errors.dead.letter.queue.topic.name";
    private static final String DESER = "deserialization.exception.handler";
    private static final String PROC = "processing.exception.handler";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "errors", BuildOptions.PRODUCTION);
    }

    private static String source(String name, String options) {
        return "CREATE STREAM " + name + " (id VARCHAR, n BIGINT) WITH ('topic' = '" + name + "', 'format' = 'json'"
                + options + ");\n";
    }

    @Test
    void sendToDlqSetsTheDeadLetterTopic() {
        CompiledScript s = compile(source("orders", ", on_error = 'send_to_dlq', dlq_topic = 'orders-dlq'")
                + "SELECT id FROM orders;");
        assertEquals(Map.of(DLQ, "orders-dlq"), s.settings());
        assertEquals(List.of("errors: bad records are logged, counted and sent to the dead-letter topic 'orders-dlq' "
                + "(orders: on_error = 'send_to_dlq', dlq_topic = 'orders-dlq')"), s.notes());
    }

    @Test
    void aDlqTopicAloneMeansSendToDlq() {
        CompiledScript s = compile(source("orders", ", 'dlq_topic' = 'bad-orders'") + "SELECT id FROM orders;");
        assertEquals(Map.of(DLQ, "bad-orders"), s.settings());
    }

    @Test
    void skipAddsNoSettingsBecauseSkippingIsTheDefault() {
        CompiledScript s = compile(source("orders", ", on_deserialization_error = 'skip'") + "SELECT id FROM orders;");
        assertEquals(Map.of(), s.settings());
        assertEquals(List.of("errors: bad records are logged, counted and skipped (orders: on_error = 'skip')"), s.notes());
    }

    @Test
    void noOptionsMeanNoSettingsAndNoNote() {
        CompiledScript s = compile(source("orders", "") + "SELECT id FROM orders;");
        assertEquals(Map.of(), s.settings());
        assertEquals(List.of(), s.notes());
    }

    @Test
    void failUsesHandlersThatStopTheApplication() {
        CompiledScript s = compile(source("orders", ", on_error = 'FAIL'") + "SELECT id FROM orders;");
        assertEquals(Map.of(DESER, FailFastHandlers.Deserialization.class.getName(),
                PROC, FailFastHandlers.Processing.class.getName()), s.settings());
    }

    @Test
    void theStrictestPolicyOfAllSourcesWinsWithANote() {
        CompiledScript s = compile(source("a", ", on_error = 'skip'")
                + source("b", ", on_error = 'send_to_dlq', dlq_topic = 'b-dlq'")
                + source("c", ", on_error = 'fail'")
                + "SELECT id FROM a UNION ALL SELECT id FROM b UNION ALL SELECT id FROM c;");
        assertEquals(Map.of(DESER, FailFastHandlers.Deserialization.class.getName(),
                PROC, FailFastHandlers.Processing.class.getName()), s.settings(), "c's policy, which names no DLQ topic");
        assertEquals("errors: Kafka Streams has one error handler and one dead-letter topic per application, so the "
                + "whole script uses the strictest policy asked for, c: on_error = 'fail' (also asked: "
                + "a: on_error = 'skip'; b: on_error = 'send_to_dlq', dlq_topic = 'b-dlq')", s.notes().get(0));
        assertEquals("errors: bad records stop the application (c: on_error = 'fail')", s.notes().get(1));
    }

    @Test
    void sendToDlqBeatsSkip() {
        CompiledScript s = compile(source("a", ", on_error = 'skip'") + source("b", ", dlq_topic = 'b-dlq'")
                + "SELECT id FROM a UNION ALL SELECT id FROM b;");
        assertEquals(Map.of(DLQ, "b-dlq"), s.settings());
        assertTrue(s.notes().get(0).contains("b: on_error = 'send_to_dlq', dlq_topic = 'b-dlq' (also asked: a: on_error = 'skip')"),
                s.notes().get(0));
    }

    @Test
    void aSetInTheScriptWinsOverTheSourceOption() {
        CompiledScript s = compile("SET 'errors.dead.letter.queue.topic.name' = 'everything-dlq';\n"
                + source("orders", ", dlq_topic = 'orders-dlq'") + "SELECT id FROM orders;");
        assertEquals(Map.of(DLQ, "everything-dlq"), s.settings());
        assertTrue(s.notes().get(0).endsWith("; SET errors.dead.letter.queue.topic.name in the script wins"), s.notes().get(0));
    }

    @Test
    void optionsOnACreateAsSelectCountToo() {
        CompiledScript s = compile(source("orders", "")
                + "CREATE STREAM big WITH ('topic' = 'big', on_error = 'send_to_dlq', dlq_topic = 'big-dlq') AS "
                + "SELECT id FROM orders WHERE n > 10;");
        assertEquals(Map.of(DLQ, "big-dlq"), s.settings());
    }

    @Test
    void unknownOrContradictoryPoliciesAreErrorsAtTheStatement() {
        SqlException unknown = assertThrows(SqlException.class, () -> compile("\n" + source("orders", ", on_error = 'retry'")));
        assertEquals("orders: on_error = 'retry' is not a known policy", unknown.getMessage());
        assertEquals("use 'skip', 'send_to_dlq' or 'fail'", unknown.hint().orElse(""));
        assertEquals(2, unknown.line());
        SqlException noTopic = assertThrows(SqlException.class, () -> compile(source("orders", ", on_error = 'send_to_dlq'")));
        assertEquals("orders: on_error = 'send_to_dlq' needs a dead-letter topic", noTopic.getMessage());
        SqlException skipWithTopic = assertThrows(SqlException.class, () -> compile(
                source("orders", ", on_error = 'skip', dlq_topic = 'x'")));
        assertEquals("orders: on_error = 'skip' drops bad records, but dlq_topic = 'x' asks to keep them",
                skipWithTopic.getMessage());
    }
}

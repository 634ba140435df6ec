package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RunTopicsTest {

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    @Test
    void sourcesAreDeclaredTopicsSomeQueryReadsAndSinksCarryTheirPartitionsAndReplicas() {
        CompiledScript script = compile("""
                CREATE STREAM orders (id VARCHAR, amount BIGINT) WITH ('topic' = 'orders', 'format' = 'json');
                CREATE STREAM unused (id VARCHAR) WITH ('topic' = 'unused', 'format' = 'json');
                CREATE STREAM big WITH ('topic' = 'big-orders', 'format' = 'json', 'partitions' = '6', 'replicas' = '3') AS
                  SELECT id, amount FROM orders WHERE amount > 100;
                SELECT id FROM big;
                """);
        RunTopics topics = RunTopics.of(script, Map.of("errors.dead.letter.queue.topic.name", "dead"));
        assertEquals(List.of("orders"), List.copyOf(topics.sources().keySet()),
                "big-orders is written by the script itself, unused is read by nobody");
        assertEquals(List.of("big-orders", "sluice-t-select_1-output", "dead"), List.copyOf(topics.sinks().keySet()));
        RunTopics.TopicSpec big = topics.sinks().get("big-orders");
        assertEquals(OptionalInt.of(6), big.partitions());
        assertEquals(Optional.of((short) 3), big.replicas());
        assertEquals(OptionalInt.empty(), topics.sinks().get("sluice-t-select_1-output").partitions());
    }

    @Test
    void aShippedStyleScriptHasOnlyExplicitStoreAndTopicNames() {
        CompiledScript script = compile("""
                CREATE STREAM e (user_id VARCHAR, ts TIMESTAMP ROWTIME) WITH ('topic' = 'e', 'format' = 'json');
                SELECT user_id, COUNT(*) AS n FROM e GROUP BY user_id, TUMBLE(ts, INTERVAL '1' MINUTE);
                """);
        assertEquals(List.of(), ExplicitNames.generatedNames(script.topology()));
    }
}

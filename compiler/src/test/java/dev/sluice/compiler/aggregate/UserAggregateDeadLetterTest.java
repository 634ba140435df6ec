package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.errors.DroppedRecords;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A user-defined aggregate whose accumulate throws fails that record only: it is dead-lettered with
 * reason {@code udf_error}, and the group's aggregate goes on from the state before it.
 */
class UserAggregateDeadLetterTest {
    /** Sums, refusing negative values; its accumulator is a plain object kept as JSON. */
    public static final class CheckedSum {
        public static final class Acc {
            public long total;
        }

        public Acc createAccumulator() {
            return new Acc();
        }

        public void accumulate(Acc acc, long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative value " + value);
            }
            acc.total += value;
        }

        public long getValue(Acc acc) {
            return acc.total;
        }
    }

    @Test
    void aThrowingAccumulateIsDeadLetteredAsUdfErrorAndTheGroupGoesOn() {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(
                "CREATE FUNCTION checked_sum AS '" + CheckedSum.class.getName() + "';\n"
                        + "CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('topic' = 's', 'format' = 'json');\n"
                        + "CREATE TABLE sums AS SELECT k, checked_sum(v) AS total FROM s GROUP BY k;",
                "t", BuildOptions.PRODUCTION);
        Properties props = ChangelogDriver.properties("udaf-dlq-test");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "s-dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("s", new StringSerializer(), new StringSerializer());
            in.pipeInput(null, "{\"k\":\"a\",\"v\":5}", 1000);
            in.pipeInput(null, "{\"k\":\"a\",\"v\":-1}", 2000);
            in.pipeInput(null, "{\"k\":\"a\",\"v\":7}", 3000);
            List<String> out = driver.createOutputTopic(script.queries().get(0).outputTopic(), new ByteArrayDeserializer(),
                    new StringDeserializer()).readValuesToList();
            assertEquals(List.of("{\"k\":\"a\",\"total\":5}", "{\"k\":\"a\",\"total\":12}"), out);
            var dead = driver.createOutputTopic("s-dlq", new StringDeserializer(), new StringDeserializer())
                    .readRecordsToList();
            assertEquals(1, dead.size());
            assertEquals("udf_error", new String(dead.get(0).headers().lastHeader(DroppedRecords.HEADER_REASON).value(),
                    StandardCharsets.UTF_8));
        }
    }
}

package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a survivor needs to own all partitions after the other instance closes and leaves the
 * group, with the classic rebalance protocol and with the Streams protocol (KIP-1071,
 * {@code group.protocol=streams}). The numbers go to docs/deploy.md; the assertion only bounds them
 * well below the 45 s session timeout a member that does not leave would cost.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TakeoverTimingTest {

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "streams"})
    void aSurvivorOwnsAllPartitionsSecondsAfterTheOtherInstanceLeavesTheGroup(String protocol, EmbeddedKafkaBroker broker,
                                                                              @TempDir Path dir) {
        String app = KafkaBrokerExtension.uniqueName("takeover-" + protocol);
        String in = app + "-in";
        broker.createTopic(in, 4);
        broker.createTopic(app + "-out", 4);
        String sql = "SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM s (id VARCHAR, n BIGINT) WITH ('topic' = '" + in + "', 'format' = 'json');\n"
                + "CREATE STREAM big WITH ('topic' = '" + app + "-out', 'format' = 'json') AS SELECT id, n FROM s WHERE n > 10;\n";
        CompiledScript script = ItSupport.compile(sql, "takeover");
        Map<String, String> settings = Map.of("group.protocol", protocol);
        KafkaStreams survivor = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, dir.resolve("a"), settings));
        KafkaStreams leaving = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, dir.resolve("b"), settings));
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(20));
        try {
            survivor.start();
            leaving.start();
            ItSupport.waitUntil(() -> survivor.state() == KafkaStreams.State.RUNNING
                    && leaving.state() == KafkaStreams.State.RUNNING
                    && ItSupport.ownedPartitions(survivor, in).size() == 2
                    && ItSupport.ownedPartitions(leaving, in).size() == 2, Duration.ofSeconds(90), "a 2/2 split");
            long begin = System.nanoTime();
            assertTrue(leaving.close(leave));
            long closed = System.nanoTime();
            ItSupport.waitUntil(() -> survivor.state() == KafkaStreams.State.RUNNING
                    && ItSupport.ownedPartitions(survivor, in).size() == 4, Duration.ofSeconds(40), "the takeover");
            long takeover = (System.nanoTime() - begin) / 1_000_000;
            System.out.println("takeover with group.protocol=" + protocol + ": close (leave group) "
                    + (closed - begin) / 1_000_000 + " ms, survivor owns all 4 partitions " + takeover + " ms after close began");
            assertEquals(4, ItSupport.ownedPartitions(survivor, in).size());
            assertTrue(takeover < 30_000, "took " + takeover + " ms");
        } finally {
            leaving.close(leave);
            survivor.close(leave);
        }
    }
}

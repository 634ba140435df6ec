package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutTest {

    @Test
    void twoInstancesOfOneApplicationSplitFourPartitionsAndTogetherEmitEveryWindowOnce(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("scale-out");
        String in = app + "-in";
        broker.createTopic(in, 4);
        broker.createTopic(app + "-out", 4);
        CompiledScript script = ItSupport.compile(WindowedClicks.sql(app), "scale_out");
        KafkaStreams a = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, dir.resolve("a"), Map.of()));
        KafkaStreams b = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, dir.resolve("b"), Map.of()));
        try {
            a.start();
            b.start();
            ItSupport.waitUntil(() -> a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING
                    && ItSupport.ownedPartitions(a, in).size() + ItSupport.ownedPartitions(b, in).size() == 4
                    && ItSupport.ownedPartitions(a, in).size() == 2, Duration.ofSeconds(90), "a 2/2 split");
            List<Integer> all = new ArrayList<>(ItSupport.ownedPartitions(a, in));
            all.addAll(ItSupport.ownedPartitions(b, in));
            assertEquals(List.of(0, 1, 2, 3), all.stream().sorted().toList(), "each partition owned by exactly one instance");

            // the broker's view agrees: two members of the group, each assigned two input partitions
            ConsumerGroupDescription group = broker.admin().describeConsumerGroups(List.of(app)).all()
                    .get(30, TimeUnit.SECONDS).get(app);
            assertEquals(2, group.members().size());
            for (MemberDescription m : group.members()) {
                assertEquals(2, m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(in)).count(),
                        m.consumerId() + " owns " + m.assignment().topicPartitions());
            }

            ItSupport.produce(broker, in, WindowedClicks.clicks(0, 10));
            ItSupport.awaitProcessed(broker, script, Duration.ofSeconds(60));
            ItSupport.produce(broker, in, WindowedClicks.closingClicks());
            var out = ItSupport.readCommitted(broker, app + "-out", 80, Duration.ofSeconds(60));
            List<String> rows = out.stream().map(r -> WindowedClicks.describe(r.value())).toList();
            assertEquals(80, rows.size(), "one row per (user, minute), none twice: " + rows);
            assertEquals(WindowedClicks.expected(10), new TreeSet<>(rows));
        } finally {
            CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(20));
            a.close(leave);
            b.close(leave);
        }
    }
}

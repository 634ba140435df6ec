package dev.sluice.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bench/chaos/run failover [--standby N] [--keys K] [--kills N] [--rate R] [--partitions P]}:
 * fail-over time after a SIGKILL. Two instances of the per-key pipeline share K keys (default
 * 200 000) over P partitions (4), with R records a second (200) flowing. The owner of the aggregate's
 * partition 0 is SIGKILLed and kept down; measured from the kill:
 * <ul>
 *   <li><b>resumed</b>: the group commits a new offset on that partition (the survivor processes it);
 *   <li><b>caught up</b>: the committed offset, having moved, reaches the partition's end at the kill.
 * </ul>
 * The session timeout is 6 s (the broker's minimum, as in the chaos run), so about 6 s of each figure
 * is the broker noticing the crash; the rest is the rebalance and, without a standby, the restore.
 */
public final class FailOverMain {
    private FailOverMain() {
    }

    public static void main(String[] args) throws Exception {
        int standby = 0;
        int keys = 200_000;
        int kills = 3;
        int rate = 200;
        int partitions = 4;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--standby" -> standby = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(64);
                }
            }
        }
        work = work != null ? work : Files.createTempDirectory("sluice-failover-");
        System.err.println("failover: work directory " + work);
        List<String> results = new ArrayList<>();
        try (PerKeyPipeline p = new PerKeyPipeline(work, partitions)) {
            p.start();
            Map<String, String> settings = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500",
                    "num.standby.replicas", String.valueOf(standby));
            List<Instance> instances = List.of(p.instance(0, settings), p.instance(1, settings));
            try (GroupProbe group = new GroupProbe(p.broker.bootstrapServers(), p.script.applicationId())) {
                instances.forEach(in -> in.start(p.broker.bootstrapServers()));
                long loadStart = System.nanoTime();
                p.load(keys);
                p.awaitDrained(Duration.ofMinutes(30));
                System.err.printf("failover: %d keys loaded and processed in %.1f s%n", keys,
                        (System.nanoTime() - loadStart) / 1e9);
                TopicPartition tp = new TopicPartition(GroupProbe.repartitionTopic(p.script), 0);
                try (AutoCloseable input = p.steadyInput(keys, rate)) {
                    for (int k = 1; k <= kills; k++) {
                        GroupProbe.waitFor(() -> group.members() == 2 && group.owner(tp).isPresent(), Duration.ofMinutes(5),
                                "a stable group of two");
                        BrokerProcess.sleep(standby > 0 ? 20_000 : 5_000); // standbys catch up after a rebalance
                        // A follow-up rebalance (the restarted member's warm-up, a probing rebalance) may be under
                        // way after the pause; the victim is whoever owns the partition once the group is stable.
                        AtomicReference<String> stableOwner = new AtomicReference<>();
                        GroupProbe.waitFor(() -> group.members() == 2
                                        && group.owner(tp).map(o -> { stableOwner.set(o); return true; }).orElse(false),
                                Duration.ofMinutes(5), "a stable group of two before the kill");
                        String owner = stableOwner.get();
                        Instance victim = instances.stream().filter(in -> owner.startsWith(in.clientId() + "-")).findFirst()
                                .orElseThrow(() -> new IllegalStateException("no instance for member " + owner));
                        long kill = System.nanoTime();
                        victim.kill();
                        // read once the victim is dead: it can commit no more, so any advance is the survivor's
                        long committed = group.committed(tp);
                        long end = group.end(tp);
                        long resumed = -1;
                        long caughtUp = -1;
                        while (caughtUp < 0 && System.nanoTime() - kill < Duration.ofMinutes(10).toNanos()) {
                            long now = group.committed(tp);
                            long t = (System.nanoTime() - kill) / 1_000_000;
                            if (resumed < 0 && now > committed) {
                                resumed = t;
                            }
                            if (resumed >= 0 && now >= end) {
                                caughtUp = t;
                            }
                            BrokerProcess.sleep(50);
                        }
                        String line = String.format("kill %d (standby replicas %d, %d keys, %d partitions): resumed %d ms,"
                                + " caught up %d ms after the SIGKILL (behind at the kill: %d records)", k, standby, keys,
                                partitions, resumed, caughtUp, end - committed);
                        System.err.println("failover: " + line);
                        results.add(line);
                        victim.start(p.broker.bootstrapServers());
                    }
                }
            } finally {
                instances.forEach(Instance::stop);
            }
        }
        results.forEach(System.out::println);
    }
}

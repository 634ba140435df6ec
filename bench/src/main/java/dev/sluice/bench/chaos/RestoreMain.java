package dev.sluice.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bench/chaos/run restore [--keys K] [--partitions P]}: how long an instance takes to come back
 * with a store of K keys (default 1 000 000) on P partitions (1: one store). One instance processes
 * K distinct keys; then it is stopped and started again three ways: SIGTERM (a clean close writes a
 * checkpoint), SIGKILL, and SIGKILL with the state directory deleted. Measured from the new JVM's
 * start until the group commits past a record written right then (start-up, group join, restore,
 * processing), with Kafka Streams' own "Restoration took" lines from the instance's log.
 */
public final class RestoreMain {
    private RestoreMain() {
    }

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        int partitions = 1;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(64);
                }
            }
        }
        work = work != null ? work : Files.createTempDirectory("sluice-restore-");
        System.err.println("restore: work directory " + work);
        List<String> results = new ArrayList<>();
        try (PerKeyPipeline p = new PerKeyPipeline(work, partitions);
             GroupProbeHolder holder = new GroupProbeHolder()) {
            p.start();
            Instance instance = p.instance(0, Map.of());
            holder.group = new GroupProbe(p.broker.bootstrapServers(), p.script.applicationId());
            try {
                instance.start(p.broker.bootstrapServers());
                long loadStart = System.nanoTime();
                p.load(keys);
                p.awaitDrained(Duration.ofMinutes(60));
                String loaded = String.format("%d keys loaded and processed in %.1f s", keys, (System.nanoTime() - loadStart) / 1e9);
                System.err.println("restore: " + loaded);
                results.add(loaded);
                TopicPartition tp = new TopicPartition(GroupProbe.repartitionTopic(p.script), 0);
                for (String way : List.of("SIGTERM", "SIGKILL", "SIGKILL + state wiped")) {
                    if (way.equals("SIGTERM")) {
                        instance.stop();
                    } else {
                        instance.kill();
                    }
                    if (way.endsWith("wiped")) {
                        instance.wipeState();
                    }
                    int before = PerKeyPipeline.restoreLines(instance).size();
                    long end = holder.group.end(tp);
                    long start = System.nanoTime();
                    instance.start(p.broker.bootstrapServers());
                    p.load(1); // key-0000000 once more: the instance is back when it commits past it
                    GroupProbe.waitFor(() -> holder.group.committed(tp) > end, Duration.ofMinutes(30), "the restarted instance");
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    List<String> lines = PerKeyPipeline.restoreLines(instance);
                    String line = String.format("%s, restart: processing again %d ms after the JVM started; log: %s", way, ms,
                            lines.subList(before, lines.size()));
                    System.err.println("restore: " + line);
                    results.add(line);
                }
            } finally {
                instance.stop();
            }
        }
        results.forEach(System.out::println);
    }

    /** Closes the probe before the broker. */
    private static final class GroupProbeHolder implements AutoCloseable {
        GroupProbe group;

        @Override
        public void close() {
            if (group != null) {
                group.close();
            }
        }
    }
}

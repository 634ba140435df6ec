package dev.sluice.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bench/chaos/run}: the long chaos run (ChaosTest runs a short one in CI). Options:
 * {@code --seconds N} of input (default 600), {@code --rate R} feedback events a second (100),
 * {@code --event-step-ms S} of event time between events (100), {@code --instances N} (3),
 * {@code --partitions P} (4), {@code --fault-every MIN-MAX} seconds (4-8), {@code --wipe-every N} (3: the 2nd, 5th, ... kill wipes the state),
 * {@code --standby N} (0), {@code --broker-restart-at F} (0.5: when half the input is written), {@code --no-broker-restart}, {@code --seed N}, {@code --work-dir DIR}
 * (kept, with every instance's log), {@code --drain-timeout SECONDS} (600: how long the application may take
 * to process the input once it is written; a stall reports the group's partitions behind and thread dumps). Exit code 0 when every sink equals replay, 1 otherwise.
 */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 600;
        int rate = 100;
        long step = 100;
        int instances = 3;
        int partitions = 4;
        double min = 4;
        double max = 8;
        int wipe = 3;
        int standby = 0;
        double brokerRestartAt = 0.5;
        long seed = 17;
        Path work = null;
        Duration drainTimeout = Duration.ofMinutes(10);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--event-step-ms" -> step = Long.parseLong(args[++i]);
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--fault-every" -> {
                    String[] range = args[++i].split("-");
                    min = Double.parseDouble(range[0]);
                    max = Double.parseDouble(range[range.length - 1]);
                }
                case "--wipe-every" -> wipe = Integer.parseInt(args[++i]);
                case "--standby" -> standby = Integer.parseInt(args[++i]);
                case "--no-broker-restart" -> brokerRestartAt = 0;
                case "--broker-restart-at" -> brokerRestartAt = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                case "--drain-timeout" -> drainTimeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("unknown option " + a + " (see the comment of bench/chaos/run)");
                    System.exit(64);
                }
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("sluice-chaos-");
        }
        System.err.println("chaos: work directory " + work + " (instance logs, broker data)");
        var settings = new ChaosRun.Settings(work, seed, seconds * rate, rate, step, instances, partitions,
                Duration.ofMillis((long) (min * 1000)), Duration.ofMillis((long) (max * 1000)), wipe, brokerRestartAt,
                standby, drainTimeout);
        ChaosRun.Report report = new ChaosRun(settings).run();
        System.out.print(report.describe());
        System.exit(report.passed() ? 0 : 1);
    }
}

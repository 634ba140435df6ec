package dev.sluice.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of CI (bench/chaos/run is the long one): three {@code sluice run} JVMs of the
 * chaos pipeline on a {@code sluice broker} JVM, 20 s of input at 100 events a second (plus 6
 * metrics per 10 events), an instance SIGKILLed and restarted every 3-5 s (the second kill also wipes
 * its state), the broker SIGKILLed and restarted when 60 % of the input is written. Every sink's committed output must equal replay of the same input, row for
 * row: the comparison is exact, only the wait for the application to drain is bounded.
 */
class ChaosTest {

    @Test
    void threeInstancesKilledAndABrokerRestartLoseNothingAndDoubleNothing(@TempDir Path dir) throws Exception {
        var settings = new ChaosRun.Settings(dir, 17, 2000, 100, 100, 3, 4, Duration.ofSeconds(3),
                Duration.ofSeconds(5), 3, 0.6, 0, Duration.ofMinutes(10));
        ChaosRun.Report report = new ChaosRun(settings).run();
        System.out.print(report.describe());
        assertTrue(report.count("SIGKILL instance") >= 2, "at least two instance kills: " + report.faults());
        assertTrue(report.faults().stream().anyMatch(f -> f.what().contains("state wiped")), "a wipe: " + report.faults());
        assertEquals(1, report.count("SIGKILL broker"), "one broker restart: " + report.faults());
        assertEquals(3, report.checks().size());
        assertTrue(report.checks().stream().allMatch(c -> c.expectedRows() > 0), "every sink has rows: " + report.checks());
        assertTrue(report.passed(), report.describe());
    }
}

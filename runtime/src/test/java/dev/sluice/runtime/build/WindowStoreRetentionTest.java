package dev.sluice.runtime.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.runtime.plan.WindowSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowStoreRetentionTest {

    @Test
    void shortWindowsKeepTwentyMinutesSoThatSegmentsSpanTenMinutesOfEventTime() {
        // a 1-minute window with 30 s grace: Kafka Streams' segments would be max(90 s / 2, 60 s) = 1 min
        assertEquals(Duration.ofMinutes(20), WindowStoreRetention.of(WindowSpec.tumble(60_000, 30_000)));
    }

    @Test
    void longWindowsKeepTheirSizePlusGrace() {
        assertEquals(Duration.ofHours(24).plusMinutes(5),
                WindowStoreRetention.of(WindowSpec.tumble(Duration.ofDays(1).toMillis(), Duration.ofMinutes(5).toMillis())));
    }
}

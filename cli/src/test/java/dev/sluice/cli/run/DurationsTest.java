package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.cli.UsageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsUnitsAndIsoAndBareSeconds() {
        assertEquals(Duration.ofMillis(500), Durations.parse("--timeout", "500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("--timeout", "30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("--timeout", "1.5s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("--timeout", "5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("--timeout", "1h"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("--timeout", "PT30S"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("--timeout", "10"));
        assertEquals(Duration.ZERO, Durations.parse("--idle-timeout", "0"));
    }

    @Test
    void rejectsTextThatIsNoDurationNamingTheOption() {
        UsageException e = assertThrows(UsageException.class, () -> Durations.parse("--timeout", "soon"));
        assertEquals("--timeout takes a duration such as 500ms, 30s, 5m or PT30S, not 'soon'", e.getMessage());
    }
}

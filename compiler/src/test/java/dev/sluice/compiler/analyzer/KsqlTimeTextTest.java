package dev.sluice.compiler.analyzer;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ksqlDB's time text beside ROWTIME / WINDOWSTART / WINDOWEND: partial, zoned, and refused. */
class KsqlTimeTextTest {
    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void aPartialDateIsItsFirstMillisecond() {
        assertEquals(utc("2018-01-01T00:00:00Z"), KsqlTimeText.parse("2018"));
        assertEquals(utc("2018-03-01T00:00:00Z"), KsqlTimeText.parse("2018-03"));
        assertEquals(utc("2018-03-04T00:00:00Z"), KsqlTimeText.parse("2018-03-04"));
    }

    @Test
    void aPartialTimeIsCompletedWithZeros() {
        assertEquals(utc("2018-03-04T05:00:00Z"), KsqlTimeText.parse("2018-03-04T05"));
        assertEquals(utc("2018-03-04T05:06:07.008Z"), KsqlTimeText.parse("2018-03-04T05:06:07.008"));
        assertEquals(utc("2018-03-04T05:06:07.100Z"), KsqlTimeText.parse("2018-03-04T05:06:07.1"));
    }

    @Test
    void anOffsetOrZSaysTheZone() {
        assertEquals(utc("2018-12-31T19:15:00Z"), KsqlTimeText.parse("2019-01-01T00:00:00+0445"));
        assertEquals(utc("2019-01-01T05:30:00Z"), KsqlTimeText.parse("2019-01-01T00:00-05:30"));
        assertEquals(utc("2019-01-01T00:00:01Z"), KsqlTimeText.parse("2019-01-01T00:00:01Z"));
    }

    @Test
    void otherTextIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KsqlTimeText.parse("soon"));
        assertEquals(true, e.getMessage().startsWith("Failed to parse timestamp 'soon'"));
    }
}

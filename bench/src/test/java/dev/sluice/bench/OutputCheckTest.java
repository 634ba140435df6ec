package dev.sluice.bench;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputCheckTest {

    private static TestRecord<byte[], byte[]> row(String key, String value) {
        return new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sameRowsInAnotherOrderWithFieldsReorderedAndSumsRoundedDifferentlyMatch() {
        List<TestRecord<byte[], byte[]>> sluice = List.of(
                row("{\"m\":\"a\",\"window_start\":\"t0\"}", "{\"m\":\"a\",\"n\":2,\"sum\":0.30000000000000004}"),
                row(null, "{\"m\":\"b\",\"n\":1,\"sum\":null}"));
        List<TestRecord<byte[], byte[]>> hand = List.of(
                row(null, "{\"sum\":null,\"n\":1,\"m\":\"b\"}"),
                row("{\"window_start\":\"t0\",\"m\":\"a\"}", "{\"m\":\"a\",\"n\":2,\"sum\":0.3}"));
        assertNull(OutputCheck.compare(sluice, hand));
    }

    @Test
    void aDifferentCountIsReportedWithTheRowThatDiffers() {
        String diff = OutputCheck.compare(List.of(row(null, "{\"n\":2}")), List.of(row(null, "{\"n\":3}")));
        assertNotNull(diff);
        assertTrue(diff.contains("1 of 1 rows differ"), diff);
    }

    @Test
    void aMissingFieldOrADifferentKeyIsADifference() {
        assertNotNull(OutputCheck.compare(List.of(row(null, "{\"n\":2,\"x\":null}")), List.of(row(null, "{\"n\":2}"))));
        assertNotNull(OutputCheck.compare(List.of(row("k1", "{\"n\":2}")), List.of(row("k2", "{\"n\":2}"))));
    }

    @Test
    void noOutputAtAllFailsTheCheck() {
        assertNotNull(OutputCheck.compare(List.of(), List.of()));
    }
}

package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check that Sluice's changelog agrees with Flink's where they may differ in transient rows. */
class ChangelogCheckTest {
    /** Flink: u1 at rank 1 is updated by retracting it (u2 moves up) and inserting it again. */
    private static final List<ObjectNode> FLINK = RowMatcher.parse(List.of(
            "{\"op\":\"+I\",\"u\":\"u1\",\"c\":1,\"rn\":1}",
            "{\"op\":\"+I\",\"u\":\"u2\",\"c\":0,\"rn\":2}",
            "{\"op\":\"-D\",\"u\":\"u2\",\"c\":0,\"rn\":2}",
            "{\"op\":\"-U\",\"u\":\"u1\",\"c\":1,\"rn\":1}",
            "{\"op\":\"+U\",\"u\":\"u2\",\"c\":0,\"rn\":1}",
            "{\"op\":\"-U\",\"u\":\"u2\",\"c\":0,\"rn\":1}",
            "{\"op\":\"+U\",\"u\":\"u1\",\"c\":5,\"rn\":1}",
            "{\"op\":\"+I\",\"u\":\"u2\",\"c\":0,\"rn\":2}"));
    private static final List<ObjectNode> FINAL = RowMatcher.parse(List.of(
            "{\"u\":\"u1\",\"c\":5,\"rn\":1}", "{\"u\":\"u2\",\"c\":0,\"rn\":2}"));

    @Test
    void aChangelogThatReplacesTheRowInOneStepPasses() {
        List<ObjectNode> sluice = RowMatcher.parse(List.of(
                "{\"op\":\"+I\",\"u\":\"u1\",\"c\":1,\"rn\":1}",
                "{\"op\":\"+I\",\"u\":\"u2\",\"c\":0,\"rn\":2}",
                "{\"op\":\"-U\",\"u\":\"u1\",\"c\":1,\"rn\":1}",
                "{\"op\":\"+U\",\"u\":\"u1\",\"c\":5,\"rn\":1}"));
        assertEquals("", ChangelogCheck.against(FLINK, sluice, FINAL));
    }

    @Test
    void aMissingRetractionARowFlinkNeverShowedAndABadRetractionFail() {
        List<ObjectNode> sluice = RowMatcher.parse(List.of(
                "{\"op\":\"+I\",\"u\":\"u1\",\"c\":1,\"rn\":1}",
                "{\"op\":\"+I\",\"u\":\"u2\",\"c\":0,\"rn\":2}",
                "{\"op\":\"+U\",\"u\":\"u1\",\"c\":4,\"rn\":1}",
                "{\"op\":\"-D\",\"u\":\"u3\",\"c\":0,\"rn\":3}"));
        String problems = ChangelogCheck.against(FLINK, sluice, FINAL);
        assertTrue(problems.contains("+U without a -U"), problems);
        assertTrue(problems.contains("a row Flink never showed"), problems);
        assertTrue(problems.contains("retracts a row not present"), problems);
        assertTrue(problems.contains("does not end in the expected rows"), problems);
    }
}

package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputProducerPhasesTest {
    private static InputProducer.Planned record(String topic, String value, long time) {
        return new InputProducer.Planned(topic, null, value.getBytes(StandardCharsets.UTF_8), time);
    }

    private static List<List<String>> values(List<List<InputProducer.Planned>> phases) {
        return phases.stream().map(p -> p.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()).toList();
    }

    @Test
    void aPhaseIsARunOfConsecutiveRecordsOfOneTopicInTheWrittenOrder() {
        List<InputProducer.Planned> planned = List.of(record("configs", "c1", 0), record("configs", "c2", 0),
                record("events", "e1", 10), record("metrics", "m1", 11), record("metrics", "m2", 12),
                record("events", "e2", 13), record("configs", "c3", 14), record("events", "e3", 15));
        assertEquals(List.of(List.of("c1", "c2"), List.of("e1"), List.of("m1", "m2"), List.of("e2"), List.of("c3"),
                List.of("e3")), values(InputProducer.phases(planned)));
    }

    @Test
    void oneTopicIsOnePhaseAndNoInputNone() {
        assertEquals(List.of(List.of("a", "b")), values(InputProducer.phases(List.of(record("t", "a", 2),
                record("t", "b", 1)))));
        assertEquals(List.of(), InputProducer.phases(List.of()));
    }
}

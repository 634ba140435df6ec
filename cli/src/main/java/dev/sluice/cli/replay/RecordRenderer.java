package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code --format records}: each output record as Kafka holds it, one JSON object a line:
 * {@code {"sink":…, "key":…, "window":{"start":…,"end":…}, "timestamp":…, "value":… or null}}. A
 * delete is a tombstone ({@code "value": null}); {@code window} appears only for windowed keys.
 */
public final class RecordRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordRenderer() {
    }

    public static ObjectNode render(OutputRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sink", r.sink());
        node.set("key", r.keyJson());
        r.window().ifPresent(w -> {
            ObjectNode window = node.putObject("window");
            window.put("start", w.start());
            window.put("end", w.end());
        });
        node.put("timestamp", r.timestamp());
        node.set("value", r.valueJson());
        return node;
    }
}

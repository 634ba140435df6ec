package dev.sluice.cli.replay;

import dev.sluice.serdes.row.Row;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * One record a query wrote, decoded: the sink it went to, its key columns (null: no key), its window
 * (ksqlDB windowed keys), its timestamp, and its full row (key and value columns in SELECT order;
 * null for a tombstone). {@code keyJson} and {@code valueJson} are the key and value as written, in
 * JSON: a one-column key as its bare value, the value without the columns the key holds.
 */
public record OutputRecord(String sink, Row key, Optional<Window> window, long timestamp, Row row,
                           JsonNode keyJson, JsonNode valueJson) {
    public record Window(long start, long end) {
    }

    public boolean tombstone() {
        return row == null;
    }
}

package dev.sluice.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chaos run's input, the same for every run with one seed: feedback events {@code eventStepMs}
 * apart in event time (keyed by user, 6 models, 50 users) and, every event-time second, one metric per
 * model (keyed by model), in event-time order, which is also the order they are produced in.
 *
 * <p>Event time starts six hours ago, not at a fixed date: Kafka Streams gives window changelogs a
 * retention (window + grace + one day) that the broker enforces against the wall clock, and the
 * broker rejects timestamps more than an hour ahead of it ({@code log.message.timestamp.after.max.ms}),
 * which the closing records must not be.
 *
 * <p>{@link #closers} come after the data: one feedback event per closing key, two hours (the grace,
 * one hour, plus a margin) after the last event, so that every window of the data closes (EMIT FINAL) on every partition. Their own rows are
 * not compared ({@link #isCloserRow}).
 */
public final class ChaosInput {
    public static final String FEEDBACK_TOPIC = "chaos-feedback";
    public static final String METRICS_TOPIC = "chaos-metrics";
    static final int MODELS = 6;
    static final int USERS = 50;
    static final int CLOSERS = 16;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** One record to produce: its topic, key, JSON value and timestamp (the event time). */
    public record Event(String topic, String key, String json, long timestamp) {
    }

    private final List<Event> events;
    private final long base;

    private ChaosInput(List<Event> events, long base) {
        this.events = events;
        this.base = base;
    }

    /** {@code count} feedback events {@code eventStepMs} apart, and the metrics of the time they span. */
    public static ChaosInput generate(long seed, int count, long eventStepMs) {
        long base = (System.currentTimeMillis() / 3_600_000L - 6) * 3_600_000L;
        SplittableRandom random = new SplittableRandom(seed);
        List<Event> out = new ArrayList<>();
        long nextMetricSecond = 0;
        int metric = 0;
        for (int i = 0; i < count; i++) {
            long ts = base + i * eventStepMs;
            while (base + nextMetricSecond * 1000 <= ts) {
                long mts = base + nextMetricSecond * 1000;
                for (int m = 0; m < MODELS; m++) {
                    out.add(new Event(METRICS_TOPIC, "model-" + m, "{\"metric_id\":\"m" + metric++ + "\",\"model_id\":\"model-"
                            + m + "\",\"metric_name\":\"cpu_usage\",\"metric_value\":" + random.nextInt(100)
                            + ",\"ts\":\"" + TS.format(Instant.ofEpochMilli(mts)) + "\"}", mts));
                }
                nextMetricSecond++;
            }
            String user = "user-" + random.nextInt(USERS);
            out.add(feedback("e" + i, user, "model-" + random.nextInt(MODELS), 20 + random.nextInt(5000),
                    random.nextInt(4000), ts));
        }
        return new ChaosInput(List.copyOf(out), base);
    }

    private static Event feedback(String id, String user, String model, long latency, long tokens, long ts) {
        return new Event(FEEDBACK_TOPIC, user, "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"model_id\":\""
                + model + "\",\"latency_ms\":" + latency + ",\"tokens_used\":" + tokens + ",\"event_time\":\""
                + TS.format(Instant.ofEpochMilli(ts)) + "\"}", ts);
    }

    public List<Event> events() {
        return events;
    }

    public long count(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).count();
    }

    /** Records two hours after the data on {@value #CLOSERS} keys: every data window closes on every partition. */
    public List<Event> closers() {
        long ts = events.get(events.size() - 1).timestamp() + 2 * 3_600_000L;
        List<Event> out = new ArrayList<>();
        for (int k = 0; k < CLOSERS; k++) {
            out.add(feedback("closer-" + k, "closer-" + k, "closer-" + k, 0, 0, ts));
        }
        return out;
    }

    /** A closing record's output row (its key columns start with {@code closer-}). */
    static boolean isCloserRow(com.fasterxml.jackson.databind.JsonNode row) {
        for (String column : List.of("user_id", "model_id", "event_id")) {
            if (row.hasNonNull(column) && row.get(column).asText().startsWith("closer-")) {
                return true;
            }
        }
        return false;
    }

    /** Writes each topic's records as JSON lines, for replay ({@code NAME=FILE}). */
    public Path writeJsonLines(String topic, Path file) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.topic().equals(topic)).forEach(e -> text.append(e.json()).append('\n'));
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long base() {
        return base;
    }
}

package dev.sluice.bench;

import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's input, the same on every run for a given size: feedback events about 100 ms apart
 * (10 % of them up to 20 s out of order, always within the 30 s watermark, so no record is late),
 * users arriving in bursts so that sessions form and close, one performance metric per model a
 * minute, and the model configuration table. The stream ends with one far-future event that moves
 * stream time past every window, so windowed aggregates emit all their final rows.
 */
public final class InputGenerator {
    public static final String EVENTS = "llm-feedback";
    public static final String CONFIGS = "model-configs";
    public static final String METRICS = "performance-metrics";
    public static final long START = LocalDateTime.of(2024, 1, 15, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    public static final long FAR_FUTURE = LocalDateTime.of(2099, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    private static final String[][] MODELS = {
            {"m-gpt4", "gpt-4"}, {"m-gpt4o", "gpt-4o"}, {"m-gpt35", "gpt-3.5-turbo"}, {"m-claude3", "claude-3"},
            {"m-claude3h", "claude-3-haiku"}, {"m-claude2", "claude-2"}, {"m-gemini", "gemini-pro"},
            {"m-gemini15", "gemini-1.5"}, {"m-llama", "llama-3-70b"}, {"m-mistral", "mistral-large"},
            {"m-custom1", "custom-ft-1"}, {"m-custom2", "custom-ft-2"}};
    /** The last two models have no configuration: the inner stream-table join drops their events. */
    private static final int CONFIGURED_MODELS = 10;
    private static final String[] ERRORS = {"TIMEOUT", "RATE_LIMIT", "INTERNAL"};
    private static final String[] METRIC_NAMES = {"cpu_usage", "memory_usage", "gpu_utilization", "queue_depth"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int USERS = 20_000;
    private static final int ACTIVE_USERS = 200;

    /** One record for one topic, in the order they are piped. */
    public record Input(String topic, TestRecord<byte[], byte[]> record) {
    }

    /** All topics' records merged in piping order: the table first, then events and metrics by time. */
    public record Inputs(List<Input> records, int events) {
    }

    public static Inputs generate(int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> out = new ArrayList<>(events + events / 500 + 16);
        for (int m = 0; m < CONFIGURED_MODELS; m++) {
            out.add(new Input(CONFIGS, record(modelConfig(m, random), START)));
        }
        int[] active = new int[ACTIVE_USERS];
        for (int i = 0; i < active.length; i++) {
            active[i] = random.nextInt(USERS);
        }
        long clock = START;
        long nextMetricMinute = START;
        for (int i = 0; i < events; i++) {
            clock += 1 + random.nextInt(199);
            while (nextMetricMinute <= clock) {
                for (int m = 0; m < MODELS.length; m++) {
                    long ts = nextMetricMinute - random.nextInt(10_000);
                    out.add(new Input(METRICS, record(metric(m, ts, random), ts)));
                }
                nextMetricMinute += 60_000;
            }
            if (random.nextInt(20) == 0) {
                active[random.nextInt(ACTIVE_USERS)] = random.nextInt(USERS);
            }
            long ts = random.nextInt(10) == 0 ? clock - random.nextInt(20_000) : clock;
            String user = "u" + active[random.nextInt(ACTIVE_USERS)];
            out.add(new Input(EVENTS, record(event(i, user, ts, random), ts)));
        }
        out.add(new Input(EVENTS, record(event(events, "u-end", FAR_FUTURE, random), FAR_FUTURE)));
        return new Inputs(List.copyOf(out), events + 1);
    }

    private static String event(int n, String user, long ts, SplittableRandom r) {
        int model = modelIndex(r);
        long tokens = r.nextInt(20) == 0 ? 0 : 50 + r.nextInt(3950);
        double price = 0.002 + model * 0.003;
        double cost = Math.round(tokens * price) / 1000.0;
        long latency = (long) (200 + Math.exp(r.nextDouble() * 9.9));
        String rating = r.nextInt(5) == 0 ? "null" : Double.toString(1.0 + r.nextInt(9) * 0.5);
        String error = r.nextInt(10) == 0 ? "\"" + ERRORS[r.nextInt(ERRORS.length)] + "\"" : "null";
        return "{\"event_id\":\"e" + n + "\",\"user_id\":\"" + user + "\",\"model_id\":\"" + MODELS[model][0]
                + "\",\"model_name\":\"" + MODELS[model][1] + "\",\"prompt_template\":\"p" + (1 + r.nextInt(20))
                + "\",\"rating\":" + rating + ",\"latency_ms\":" + latency + ",\"cost_usd\":" + cost
                + ",\"tokens_used\":" + tokens + ",\"error_code\":" + error + ",\"event_time\":\""
                + TIME.format(Instant.ofEpochMilli(ts)) + "\"}";
    }

    /** Skewed towards the first models, as real traffic is. */
    private static int modelIndex(SplittableRandom r) {
        int a = r.nextInt(MODELS.length);
        int b = r.nextInt(MODELS.length);
        return Math.min(a, b);
    }

    private static String metric(int model, long ts, SplittableRandom r) {
        return "{\"model_id\":\"" + MODELS[model][0] + "\",\"metric_name\":\"" + METRIC_NAMES[r.nextInt(METRIC_NAMES.length)]
                + "\",\"metric_value\":" + (r.nextInt(10_000) / 100.0) + ",\"ts\":\"" + TIME.format(Instant.ofEpochMilli(ts))
                + "\"}";
    }

    private static String modelConfig(int model, SplittableRandom r) {
        String provider = MODELS[model][1].startsWith("gpt") ? "OpenAI" : MODELS[model][1].startsWith("claude")
                ? "Anthropic" : MODELS[model][1].startsWith("gemini") ? "Google" : "Other";
        return "{\"model_id\":\"" + MODELS[model][0] + "\",\"model_name\":\"" + MODELS[model][1] + "\",\"temperature\":"
                + (r.nextInt(11) / 10.0) + ",\"max_tokens\":" + (1024 << r.nextInt(4)) + ",\"cost_per_1k_tokens\":"
                + (0.002 + model * 0.003) + ",\"provider\":\"" + provider + "\"}";
    }

    private static TestRecord<byte[], byte[]> record(String json, long ts) {
        return new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8), null, Instant.ofEpochMilli(ts));
    }
}

package dev.sluice.connect.http;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Polls an HTTP(S) URL every {@code poll.interval.ms} and writes each JSON record of the answer
 * (a JSON array of objects, or JSON lines) to a topic. Failed requests (no connection, timeouts,
 * 408, 429, 5xx) are retried under seed 001's policy: {@code retry.policy} exponential or fixed,
 * {@code initial.retry.delay.ms}, {@code max.retry.delay.ms}, {@code max.retries},
 * {@code jitter.factor}; when the retries run out the task fails with the last answer. With
 * {@code incremental.field}, records whose field is not greater than the last one written are
 * skipped, and that last value is the Connect source offset.
 */
public final class HttpSourceConnector extends dev.sluice.connect.OneReaderSourceConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("http.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "http(s)://host/path")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "time between polls")
            .define("format", ConfigDef.Type.STRING, "auto", ConfigDef.ValidString.in("auto", "json_array", "jsonl"),
                    ConfigDef.Importance.MEDIUM, "auto: an answer starting with [ is an array, otherwise JSON lines")
            .define("retry.policy", ConfigDef.Type.STRING, "exponential",
                    ConfigDef.ValidString.in("exponential", "fixed", "none"), ConfigDef.Importance.MEDIUM, "retry policy")
            .define("initial.retry.delay.ms", ConfigDef.Type.LONG, 100L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "wait before the first retry")
            .define("max.retry.delay.ms", ConfigDef.Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "longest wait between retries")
            .define("max.retries", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "retries after the first attempt")
            .define("jitter.factor", ConfigDef.Type.DOUBLE, 0.1, ConfigDef.Range.between(0.0, 1.0), ConfigDef.Importance.LOW,
                    "each wait is spread over +- this fraction")
            .define("request.timeout.ms", ConfigDef.Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "one request's time limit")
            .define("incremental.field", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "a field that only grows: records are written once, past the last one")
            .define("auth.bearer.token", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                    "sent as Authorization: Bearer")
            .define("auth.basic.user", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, "HTTP Basic user")
            .define("auth.basic.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM, "HTTP Basic password");

    public HttpSourceConnector() {
        super(DEF, HttpSourceTask.class);
    }
}

package dev.sluice.bench.hand;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;

import java.time.Duration;

/**
 * Shape (f) by hand: each event joined with the same model's metrics within 30 seconds either side.
 * Grace is the larger watermark delay of the two sources (30 s), Sluice's rule for interval joins.
 */
public final class HandIntervalJoin {
    static final Duration BOUND = Duration.ofSeconds(30);
    static final Duration GRACE = Duration.ofSeconds(30);

    private HandIntervalJoin() {
    }

    @JsonPropertyOrder({"event_id", "user_id", "model_name", "app_latency", "metric_name", "metric_value",
            "event_time"})
    public static final class Result {
        public String event_id;
        public String user_id;
        public String model_name;
        public Long app_latency;
        public String metric_name;
        public Double metric_value;
        public String event_time;
    }

    public static Topology topology(String input, String metricsTopic, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FeedbackEvent> events = builder.stream(input,
                        Consumed.with(Serdes.ByteArray(), Json.serde(FeedbackEvent.class))
                                .withTimestampExtractor(new EventTimeExtractor()).withName("source"))
                .selectKey((k, e) -> e.model_id, Named.as("events-by-model"));
        KStream<String, PerformanceMetric> metrics = builder.stream(metricsTopic,
                        Consumed.with(Serdes.ByteArray(), Json.serde(PerformanceMetric.class))
                                .withTimestampExtractor(new EventTimeExtractor()).withName("metrics-source"))
                .selectKey((k, m) -> m.model_id, Named.as("metrics-by-model"));
        events.join(metrics, (e, m) -> {
                    Result r = new Result();
                    r.event_id = e.event_id;
                    r.user_id = e.user_id;
                    r.model_name = e.model_name;
                    r.app_latency = e.latency_ms;
                    r.metric_name = m.metric_name;
                    r.metric_value = m.metric_value;
                    r.event_time = Json.formatTime(Json.parseTime(e.event_time));
                    return r;
                }, JoinWindows.ofTimeDifferenceAndGrace(BOUND, GRACE),
                StreamJoined.with(Serdes.String(), Json.serde(FeedbackEvent.class), Json.serde(PerformanceMetric.class))
                        .withName("join").withStoreName("join-store"))
                .to(output, Produced.with(Serdes.String(), Json.serde(Result.class)).withName("sink"));
        return builder.build();
    }
}

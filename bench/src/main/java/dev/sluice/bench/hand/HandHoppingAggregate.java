package dev.sluice.bench.hand;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;

/** Shape (c) by hand: 15-minute windows advancing by 1 minute per model, final results only. */
public final class HandHoppingAggregate {
    static final Duration SIZE = Duration.ofMinutes(15);
    static final Duration ADVANCE = Duration.ofMinutes(1);
    static final Duration GRACE = Duration.ofMillis(29_999);

    private HandHoppingAggregate() {
    }

    @JsonPropertyOrder({"model_name", "window_start", "window_end", "requests", "moving_avg_latency", "max_latency"})
    public static final class Result {
        public String model_name;
        public String window_start;
        public String window_end;
        public long requests;
        public Double moving_avg_latency;
        public Long max_latency;
    }

    public static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Json.serde(FeedbackEvent.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("source"))
                .groupBy((k, e) -> e.model_name, Grouped.with("by-model", Serdes.String(), Json.serde(FeedbackEvent.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE).advanceBy(ADVANCE))
                .aggregate(LatencyStats::new, (model, e, stats) -> stats.add(e), Named.as("aggregate"),
                        Materialized.<String, LatencyStats, WindowStore<Bytes, byte[]>>as("latency-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Json.serde(LatencyStats.class))
                                .withRetention(SIZE.plus(GRACE)))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("final"))
                .toStream(Named.as("to-stream"))
                .map((w, s) -> {
                    Result r = new Result();
                    r.model_name = w.key();
                    r.window_start = Json.formatTime(w.window().start());
                    r.window_end = Json.formatTime(w.window().end());
                    r.requests = s.requests;
                    r.moving_avg_latency = s.avgLatency();
                    r.max_latency = s.maxLatency;
                    return KeyValue.pair(Json.windowKey("model_name", w.key(), w.window().start()), r);
                }, Named.as("result"))
                .to(output, Produced.with(Json.mapSerde(), Json.serde(Result.class)).withName("sink"));
        return builder.build();
    }
}

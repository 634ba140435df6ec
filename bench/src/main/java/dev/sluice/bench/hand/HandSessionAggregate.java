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
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.state.SessionStore;

import java.time.Duration;

/**
 * Shape (d) by hand: sessions per user with a 30-minute gap, final results only. Grace is the 30 s
 * watermark minus 2 ms (Sluice's rule for sessions), and SESSION_END is the last event plus the gap,
 * as in Flink, where Kafka Streams' session window ends at the last event.
 */
public final class HandSessionAggregate {
    static final Duration GAP = Duration.ofMinutes(30);
    static final Duration GRACE = Duration.ofMillis(29_998);

    private HandSessionAggregate() {
    }

    @JsonPropertyOrder({"user_id", "session_start", "session_end", "interactions", "session_cost", "max_latency"})
    public static final class Result {
        public String user_id;
        public String session_start;
        public String session_end;
        public long interactions;
        public Double session_cost;
        public Long max_latency;
    }

    public static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Json.serde(FeedbackEvent.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("source"))
                .groupBy((k, e) -> e.user_id, Grouped.with("by-user", Serdes.String(), Json.serde(FeedbackEvent.class)))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(GAP, GRACE))
                .aggregate(SessionStats::new, (user, e, stats) -> stats.add(e), (user, a, b) -> a.merge(b),
                        Named.as("aggregate"),
                        Materialized.<String, SessionStats, SessionStore<Bytes, byte[]>>as("session-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Json.serde(SessionStats.class))
                                .withRetention(GAP.plus(GRACE)))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("final"))
                .toStream(Named.as("to-stream"))
                .filter((w, s) -> s != null, Named.as("drop-merged"))
                .map((w, s) -> {
                    Result r = new Result();
                    r.user_id = w.key();
                    r.session_start = Json.formatTime(w.window().start());
                    r.session_end = Json.formatTime(w.window().end() + GAP.toMillis());
                    r.interactions = s.interactions;
                    r.session_cost = s.costSum;
                    r.max_latency = s.maxLatency;
                    return KeyValue.pair(Json.windowKey("user_id", w.key(), w.window().start()), r);
                }, Named.as("result"))
                .to(output, Produced.with(Json.mapSerde(), Json.serde(Result.class)).withName("sink"));
        return builder.build();
    }
}

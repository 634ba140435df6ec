package dev.sluice.bench.hand;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** Shape (a) by hand: WHERE tokens_used > 0, then the latency category CASE. */
public final class HandFilterProjectCase {
    private HandFilterProjectCase() {
    }

    @JsonPropertyOrder({"event_id", "model_name", "latency_ms", "latency_category", "rating"})
    public static final class LatencyCategory {
        public String event_id;
        public String model_name;
        public Long latency_ms;
        public String latency_category;
        public Double rating;
    }

    public static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Json.serde(FeedbackEvent.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("source"))
                .filter((k, e) -> e != null && e.tokens_used != null && e.tokens_used > 0, Named.as("where"))
                .mapValues(HandFilterProjectCase::categorize, Named.as("select"))
                .to(output, Produced.with(Serdes.ByteArray(), Json.serde(LatencyCategory.class)).withName("sink"));
        return builder.build();
    }

    static LatencyCategory categorize(FeedbackEvent e) {
        LatencyCategory out = new LatencyCategory();
        out.event_id = e.event_id;
        out.model_name = e.model_name;
        out.latency_ms = e.latency_ms;
        if (e.latency_ms == null) {
            out.latency_category = "Slow"; // SQL: every WHEN is unknown, so ELSE
        } else if (e.latency_ms < 1000) {
            out.latency_category = "Fast";
        } else if (e.latency_ms < 5000) {
            out.latency_category = "Medium";
        } else {
            out.latency_category = "Slow";
        }
        out.rating = e.rating;
        return out;
    }
}

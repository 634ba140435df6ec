package dev.sluice.bench.hand;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Shape (e) by hand: events joined with the model configuration table on model_id. The table topic
 * carries its key in the value (JSON lines, no record key), so it is re-keyed before it becomes a table.
 */
public final class HandStreamTableJoin {
    private HandStreamTableJoin() {
    }

    @JsonPropertyOrder({"event_id", "user_id", "model_name", "latency_ms", "cost_usd", "temperature", "max_tokens",
            "provider"})
    public static final class Result {
        public String event_id;
        public String user_id;
        public String model_name;
        public Long latency_ms;
        public Double cost_usd;
        public Double temperature;
        public Integer max_tokens;
        public String provider;
    }

    public static Topology topology(String input, String tableTopic, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, ModelConfig> configs = builder.stream(tableTopic,
                        Consumed.with(Serdes.ByteArray(), Json.serde(ModelConfig.class)).withName("configs-source"))
                .selectKey((k, c) -> c.model_id, Named.as("configs-key"))
                .toTable(Named.as("configs-table"),
                        Materialized.<String, ModelConfig, KeyValueStore<Bytes, byte[]>>as("configs-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Json.serde(ModelConfig.class)));
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Json.serde(FeedbackEvent.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("source"))
                .selectKey((k, e) -> e.model_id, Named.as("by-model"))
                .join(configs, (e, c) -> {
                    Result r = new Result();
                    r.event_id = e.event_id;
                    r.user_id = e.user_id;
                    r.model_name = e.model_name;
                    r.latency_ms = e.latency_ms;
                    r.cost_usd = e.cost_usd;
                    r.temperature = c.temperature;
                    r.max_tokens = c.max_tokens;
                    r.provider = c.provider;
                    return r;
                }, Joined.with(Serdes.String(), Json.serde(FeedbackEvent.class), Json.serde(ModelConfig.class))
                        .withName("join"))
                .to(output, Produced.with(Serdes.String(), Json.serde(Result.class)).withName("sink"));
        return builder.build();
    }
}

package dev.sluice.bench.hand;

/** One record of the model-configs topic (the table side of the stream-table join). */
public final class ModelConfig {
    public String model_id;
    public String model_name;
    public Double temperature;
    public Integer max_tokens;
    public Double cost_per_1k_tokens;
    public String provider;
}

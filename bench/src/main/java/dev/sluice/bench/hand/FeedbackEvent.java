package dev.sluice.bench.hand;

/** One record of the llm-feedback topic, bound by Jackson. */
public final class FeedbackEvent {
    public String event_id;
    public String user_id;
    public String model_id;
    public String model_name;
    public String prompt_template;
    public Double rating;
    public Long latency_ms;
    public Double cost_usd;
    public Long tokens_used;
    public String error_code;
    public String event_time;
}

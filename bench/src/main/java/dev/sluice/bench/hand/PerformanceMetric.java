package dev.sluice.bench.hand;

/** One record of the performance-metrics topic (the right side of the interval join). */
public final class PerformanceMetric {
    public String model_id;
    public String metric_name;
    public Double metric_value;
    public String ts;
}

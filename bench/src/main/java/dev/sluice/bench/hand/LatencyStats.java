package dev.sluice.bench.hand;

/** Shape (c)'s accumulator, stored as JSON: COUNT(*), AVG and MAX of latency. */
public final class LatencyStats {
    public long requests;
    public long latencyCount;
    public long latencySum;
    public Long maxLatency;

    public LatencyStats add(FeedbackEvent e) {
        requests++;
        if (e.latency_ms != null) {
            latencyCount++;
            latencySum += e.latency_ms;
            maxLatency = maxLatency == null ? e.latency_ms : Math.max(maxLatency, e.latency_ms);
        }
        return this;
    }

    public Double avgLatency() {
        return latencyCount == 0 ? null : (double) latencySum / latencyCount;
    }
}

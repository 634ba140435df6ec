package dev.sluice.bench.hand;

/** Shape (d)'s accumulator, stored as JSON: COUNT(*), SUM of cost, MAX of latency; mergeable. */
public final class SessionStats {
    public long interactions;
    public Double costSum;
    public Long maxLatency;

    public SessionStats add(FeedbackEvent e) {
        interactions++;
        if (e.cost_usd != null) {
            costSum = costSum == null ? e.cost_usd : costSum + e.cost_usd;
        }
        if (e.latency_ms != null) {
            maxLatency = maxLatency == null ? e.latency_ms : Math.max(maxLatency, e.latency_ms);
        }
        return this;
    }

    public SessionStats merge(SessionStats other) {
        SessionStats m = new SessionStats();
        m.interactions = interactions + other.interactions;
        m.costSum = costSum == null ? other.costSum : other.costSum == null ? costSum : costSum + other.costSum;
        m.maxLatency = maxLatency == null ? other.maxLatency
                : other.maxLatency == null ? maxLatency : Math.max(maxLatency, other.maxLatency);
        return m;
    }
}

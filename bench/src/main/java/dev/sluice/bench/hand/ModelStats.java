package dev.sluice.bench.hand;

import java.util.HashSet;
import java.util.Set;

/**
 * Shape (b)'s accumulator, stored as JSON: COUNT(*), AVG and MIN/MAX of latency, SUM of cost and the
 * set of distinct users. Fields are null until a non-null value arrives, as SQL aggregates are.
 */
public final class ModelStats {
    public long requests;
    public long latencyCount;
    public long latencySum;
    public Long minLatency;
    public Long maxLatency;
    public Double costSum;
    public Set<String> users = new HashSet<>();

    public ModelStats add(FeedbackEvent e) {
        requests++;
        if (e.latency_ms != null) {
            long l = e.latency_ms;
            latencyCount++;
            latencySum += l;
            minLatency = minLatency == null ? l : Math.min(minLatency, l);
            maxLatency = maxLatency == null ? l : Math.max(maxLatency, l);
        }
        if (e.cost_usd != null) {
            costSum = costSum == null ? e.cost_usd : costSum + e.cost_usd;
        }
        if (e.user_id != null) {
            users.add(e.user_id);
        }
        return this;
    }

    public Double avgLatency() {
        return latencyCount == 0 ? null : (double) latencySum / latencyCount;
    }
}

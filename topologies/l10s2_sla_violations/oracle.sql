-- HAVING uses APPROX_PERCENTILE, which Flink lacks: Flink groups (without HAVING); expected.py computes
-- the percentile, applies oracle.filter (the HAVING) and drops the helper column.
CREATE STREAM sla_violations AS
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '5' MINUTE) as window_start,
    COUNT(*) as requests,
    APPROX_PERCENTILE(latency_ms, 0.95) as p95_latency,
    AVG(latency_ms) as avg_latency,
    'SLA_VIOLATED' as alert_type,
    NOW() as alert_time
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '5' MINUTE);

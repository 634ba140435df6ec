-- 15-minute windows sliding every minute, per model
CREATE TABLE model_latency_15m WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    model_name,
    HOP_START(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE) AS window_start,
    HOP_END(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE) AS window_end,
    COUNT(*) AS requests,
    AVG(latency_ms) AS moving_avg_latency,
    MAX(latency_ms) AS max_latency
FROM feedback_events
GROUP BY model_name, HOP(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE);

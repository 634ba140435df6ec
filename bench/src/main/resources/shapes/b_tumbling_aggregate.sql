-- 5-minute tumbling aggregate per model: six aggregates, one of them COUNT(DISTINCT)
CREATE TABLE model_stats_5m WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
    TUMBLE_END(event_time, INTERVAL '5' MINUTE) AS window_end,
    COUNT(*) AS requests,
    AVG(latency_ms) AS avg_latency,
    SUM(cost_usd) AS total_cost,
    MIN(latency_ms) AS min_latency,
    MAX(latency_ms) AS max_latency,
    COUNT(DISTINCT user_id) AS unique_users
FROM feedback_events
GROUP BY model_name, TUMBLE(event_time, INTERVAL '5' MINUTE);

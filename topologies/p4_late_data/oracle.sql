-- Seed 000, Pattern 4: Late Data Handling
-- Configure allowed lateness and emit strategy
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '5' MINUTE) as window_start,
    COUNT(*) as event_count,
    AVG(latency_ms) as avg_latency
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '5' MINUTE)
;

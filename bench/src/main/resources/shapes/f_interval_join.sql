-- Seed 000, lesson 8 step 4: feedback joined with performance metrics within +/- 30 seconds
CREATE STREAM performance_metrics (
    model_id VARCHAR,
    metric_name VARCHAR,
    metric_value DOUBLE,
    ts TIMESTAMP ROWTIME,
    WATERMARK FOR ts AS ts - INTERVAL '30' SECOND
)
WITH ('topic' = 'performance-metrics', 'format' = 'json');

CREATE STREAM events_with_metrics WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    f.event_id,
    f.user_id,
    f.model_name,
    f.latency_ms AS app_latency,
    p.metric_name,
    p.metric_value,
    f.event_time
FROM feedback_events f
JOIN performance_metrics p
ON f.model_id = p.model_id
AND f.event_time BETWEEN p.ts - INTERVAL '30' SECOND AND p.ts + INTERVAL '30' SECOND;

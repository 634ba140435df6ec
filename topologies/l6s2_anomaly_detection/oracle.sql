-- Flink orders OVER by a time attribute only: HOP_ROWTIME (window_time) orders the windows as window_start does.
WITH moving_stats AS (
    SELECT model_name,
        HOP_START(event_time, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE) as window_start,
        HOP_ROWTIME(event_time, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE) as wt,
        AVG(CAST(latency_ms AS DOUBLE)) as avg_latency,
        STDDEV_SAMP(CAST(latency_ms AS DOUBLE)) as stddev_latency
    FROM feedback_events
    GROUP BY model_name, HOP(event_time, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE)
)
SELECT model_name, window_start, avg_latency, stddev_latency,
    LAG(avg_latency, 1) OVER (PARTITION BY model_name ORDER BY wt) as prev_avg,
    CASE WHEN avg_latency > LAG(avg_latency, 1) OVER (PARTITION BY model_name ORDER BY wt) * 1.5
         THEN 'SPIKE' ELSE 'NORMAL' END as status
FROM moving_stats;

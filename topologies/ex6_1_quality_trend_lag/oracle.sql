-- Flink orders OVER by a time attribute only: HOP_ROWTIME orders the windows as HOP_START does.
SELECT model_name, window_start, avg_rating, sample_size, satisfaction_rate,
       LAG(avg_rating) OVER (PARTITION BY model_name ORDER BY wt) as prev_avg_rating
FROM (
SELECT
    model_name,
    HOP_START(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE) as window_start,
    HOP_ROWTIME(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE) as wt,
    AVG(rating) as avg_rating,
    COUNT(*) as sample_size,
    COUNT(CASE WHEN rating >= 4 THEN 1 END) * 100.0 / COUNT(*) as satisfaction_rate
FROM feedback_events
WHERE rating IS NOT NULL
GROUP BY
    model_name,
    HOP(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE)
);

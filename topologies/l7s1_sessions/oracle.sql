-- Flink cannot subtract TIMESTAMPs; TIMESTAMPDIFF in seconds as DECIMAL(38,3) gives the same typed
-- arithmetic as Sluice's EXTRACT(EPOCH FROM interval) (DECIMAL(38,3)) / 60.
SELECT
    user_id,
    SESSION_START(event_time, INTERVAL '30' MINUTE) as session_start,
    SESSION_END(event_time, INTERVAL '30' MINUTE) as session_end,
    COUNT(*) as interactions,
    CAST(TIMESTAMPDIFF(SECOND, SESSION_START(event_time, INTERVAL '30' MINUTE),
        SESSION_END(event_time, INTERVAL '30' MINUTE)) AS DECIMAL(38, 3)) / 60 as session_duration_minutes
FROM feedback_events
GROUP BY
    user_id,
    SESSION(event_time, INTERVAL '30' MINUTE);

-- Flink cannot subtract TIMESTAMPs and its TIMESTAMPDIFF truncates to whole seconds, while Sluice
-- follows PostgreSQL: EXTRACT(EPOCH FROM interval) has millisecond fractions. Flink computes the
-- sessions; oracle.post derives session_duration_minutes from their bounds.
SELECT
    user_id,
    SESSION_START(event_time, INTERVAL '30' MINUTE) as session_start,
    SESSION_END(event_time, INTERVAL '30' MINUTE) as session_end,
    COUNT(*) as interactions,
    0 as session_duration_minutes
FROM feedback_events
GROUP BY
    user_id,
    SESSION(event_time, INTERVAL '30' MINUTE);

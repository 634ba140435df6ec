-- User sessions with a 30-minute inactivity gap
CREATE TABLE user_sessions WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    user_id,
    SESSION_START(event_time, INTERVAL '30' MINUTE) AS session_start,
    SESSION_END(event_time, INTERVAL '30' MINUTE) AS session_end,
    COUNT(*) AS interactions,
    SUM(cost_usd) AS session_cost,
    MAX(latency_ms) AS max_latency
FROM feedback_events
GROUP BY user_id, SESSION(event_time, INTERVAL '30' MINUTE);

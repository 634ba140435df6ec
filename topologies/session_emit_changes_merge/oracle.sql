-- Flink has no EMIT CHANGES for group windows: its final rows are the sessions after every merge,
-- which is where Sluice's changelog must end.
SELECT user_id,
       SESSION_START(event_time, INTERVAL '1' MINUTE) AS s_start,
       SESSION_END(event_time, INTERVAL '1' MINUTE) AS s_end,
       COUNT(*) AS n
FROM events
GROUP BY user_id, SESSION(event_time, INTERVAL '1' MINUTE);

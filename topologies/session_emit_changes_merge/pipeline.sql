-- Session windows with EMIT CHANGES: every update of a session is a row of a table keyed by (user,
-- session start). A record that bridges two sessions merges them: both old sessions are deleted
-- (-D) and the merged one inserted, so nothing downstream keeps a session that no longer exists.
CREATE STREAM events (
    user_id VARCHAR,
    event_time TIMESTAMP,
    WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH ('topic' = 'events', 'format' = 'json');

SELECT user_id,
       SESSION_START(event_time, INTERVAL '1' MINUTE) AS s_start,
       SESSION_END(event_time, INTERVAL '1' MINUTE) AS s_end,
       COUNT(*) AS n
FROM events
GROUP BY user_id, SESSION(event_time, INTERVAL '1' MINUTE)
EMIT CHANGES;

-- Per user session (gap 1 minute): the median latency (PERCENTILE_CONT) and the tools called in
-- order (ARRAY_AGG), EMIT FINAL. Both keep their values per session in <step>-values-store
-- (SessionCollections); the out-of-order record at 10:00:50 bridges a's first two sessions, whose
-- values and elements then move into the larger one.
CREATE STREAM calls (
    user_id VARCHAR,
    tool VARCHAR,
    latency_ms BIGINT,
    event_time TIMESTAMP,
    WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH ('topic' = 'calls', 'format' = 'json');

SELECT user_id,
       SESSION_START(event_time, INTERVAL '1' MINUTE) AS s_start,
       SESSION_END(event_time, INTERVAL '1' MINUTE) AS s_end,
       COUNT(*) AS n,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY latency_ms) AS median_latency,
       ARRAY_AGG(tool) AS tools
FROM calls
GROUP BY user_id, SESSION(event_time, INTERVAL '1' MINUTE);

CREATE STREAM feedback_events (
    event_id VARCHAR,
    user_id VARCHAR,
    model_id VARCHAR,
    model_name VARCHAR,
    prompt_template VARCHAR,
    rating DOUBLE,
    latency_ms BIGINT,
    cost_usd DOUBLE,
    tokens_used BIGINT,
    error_code VARCHAR,
    event_time TIMESTAMP ROWTIME,
    WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND
)
WITH (
    'connector' = 'kafka',
    'topic' = 'llm-feedback',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'optimizer-consumer',
    'format' = 'json',
    'scan.startup.mode' = 'latest-offset'
);

-- As agg_array_tumble_jump with EMIT CHANGES: every record updates its window's row, which lists
-- the window's elements so far. With the record cache on (sluice run) a window's update can still
-- wait in the cache when a later record of the same commit closes the window; the elements must
-- stay until that update is emitted, and leave the store after it. Same input as
-- agg_array_tumble_jump; the final row of each window is Flink's window row (oracle: the query
-- without EMIT CHANGES).
SELECT
    user_id,
    window_start,
    window_end,
    COUNT(*) AS requests,
    ARRAY_AGG(model_name) AS model_names
FROM TABLE(TUMBLE(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '10' MINUTE))
GROUP BY user_id, window_start, window_end
EMIT CHANGES;

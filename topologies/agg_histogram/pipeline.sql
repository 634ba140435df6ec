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

-- Issue 12: a histogram of per-user request counts. A user moving from n to n + 1 leaves bucket n;
-- a bucket whose last user left is deleted, so only the final counts remain.
SELECT n, COUNT(*) AS users
FROM (
    SELECT user_id, COUNT(*) AS n
    FROM feedback_events
    GROUP BY user_id
) t
GROUP BY n;

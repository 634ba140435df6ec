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

-- Issue 12: deduplication then aggregation. Each user's latest event by event time (a table that
-- updates as newer events arrive), counted per model: a user whose latest event moves to another
-- model leaves the old model's group.
SELECT model_name, COUNT(*) AS users, MAX(latency_ms) AS slowest, AVG(rating) AS avg_rating
FROM (
    SELECT DISTINCT ON (user_id) user_id, model_name, latency_ms, rating, event_time
    FROM feedback_events
    ORDER BY user_id, event_time DESC
) latest
GROUP BY model_name;

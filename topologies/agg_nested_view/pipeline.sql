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

-- Issue 12: GROUP BY over a GROUP BY through a view.
CREATE VIEW per_user AS
SELECT user_id, model_name, COUNT(*) AS n, MAX(latency_ms) AS slowest, MIN(rating) AS worst
FROM feedback_events
GROUP BY user_id, model_name;

SELECT
    model_name,
    SUM(n) AS requests,
    COUNT(*) AS users,
    MIN(worst) AS worst_rating,
    MAX(slowest) AS slowest_ms,
    COUNT(DISTINCT slowest) AS distinct_slowest,
    AVG(n) AS avg_requests
FROM per_user
GROUP BY model_name;

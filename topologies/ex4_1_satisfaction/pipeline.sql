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

-- Seed 000, Exercise 4.1
SELECT
    model_name,
    AVG(rating) as avg_rating,
    COUNT(CASE WHEN rating >= 4.0 THEN 1 END) * 100.0 / COUNT(*) as satisfaction_rate,
    COUNT(*) as total_ratings
FROM feedback_events
WHERE rating IS NOT NULL
GROUP BY model_name
ORDER BY satisfaction_rate DESC;

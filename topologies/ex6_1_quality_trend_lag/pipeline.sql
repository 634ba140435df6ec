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

-- Seed 000, Exercise 6.1 in full: LAG of an aggregate over the sliding windows of each model
SELECT
    model_name,
    HOP_START(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE) as window_start,
    AVG(rating) as avg_rating,
    COUNT(*) as sample_size,
    COUNT(CASE WHEN rating >= 4 THEN 1 END) * 100.0 / COUNT(*) as satisfaction_rate,
    LAG(AVG(rating)) OVER (
        PARTITION BY model_name
        ORDER BY HOP_START(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE)
    ) as prev_avg_rating
FROM feedback_events
WHERE rating IS NOT NULL
GROUP BY
    model_name,
    HOP(event_time, INTERVAL '2' MINUTE, INTERVAL '10' MINUTE);

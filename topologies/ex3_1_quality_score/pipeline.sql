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

-- Seed 000, exercise 3.1: quality score from rating and error status
SELECT
    event_id,
    model_name,
    rating,
    error_code,
    CASE
        WHEN error_code IS NOT NULL THEN 0.0
        WHEN rating >= 4.0 THEN 10.0
        WHEN rating >= 3.0 THEN 7.0
        WHEN rating >= 2.0 THEN 4.0
        ELSE 2.0
    END as quality_score
FROM feedback_events;

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

-- Seed 000, lesson 7, Step 2: Session Metrics
-- Detailed session analytics
SELECT
    user_id,
    SESSION_START(event_time, INTERVAL '30' MINUTE) as session_start,
    SESSION_END(event_time, INTERVAL '30' MINUTE) as session_end,
    COUNT(*) as interactions,
    COUNT(DISTINCT model_name) as models_tried,
    SUM(cost_usd) as session_cost,
    AVG(rating) as avg_session_rating,
    MAX(latency_ms) as max_latency,
    COUNT(CASE WHEN error_code IS NOT NULL THEN 1 END) as errors
FROM feedback_events
GROUP BY
    user_id,
    SESSION(event_time, INTERVAL '30' MINUTE)
ORDER BY interactions DESC;

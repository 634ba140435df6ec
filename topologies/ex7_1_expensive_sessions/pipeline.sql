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

-- Seed 000, Exercise 7.1
SELECT
    user_id,
    SESSION_START(event_time, INTERVAL '30' MINUTE) as session_start,
    SESSION_END(event_time, INTERVAL '30' MINUTE) as session_end,
    COUNT(*) as interactions,
    SUM(cost_usd) as total_cost,
    AVG(cost_usd) as avg_cost_per_interaction,
    ARRAY_AGG(model_name ORDER BY event_time) as models_sequence
FROM feedback_events
GROUP BY
    user_id,
    SESSION(event_time, INTERVAL '30' MINUTE)
ORDER BY total_cost DESC
LIMIT 20;

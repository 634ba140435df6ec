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

-- Seed 000, lesson 4, Step 3: Sum of Costs
-- Total cost per model
SELECT
    model_name,
    SUM(cost_usd) as total_cost,
    COUNT(*) as requests,
    SUM(cost_usd) / COUNT(*) as avg_cost_per_request
FROM feedback_events
GROUP BY model_name
ORDER BY total_cost DESC;

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

-- Seed 000, lesson 5, Step 4: Daily Aggregations
-- Daily cost summary
SELECT
    DATE(TUMBLE_START(event_time, INTERVAL '1' DAY)) as date,
    model_name,
    COUNT(*) as daily_requests,
    SUM(cost_usd) as daily_cost,
    AVG(cost_usd) as avg_cost_per_request,
    SUM(tokens_used) as total_tokens
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '1' DAY)
ORDER BY date DESC, daily_cost DESC;

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

-- Seed 000, lesson 6, Step 3: Cost Trend Analysis
-- 30-minute cost trends (5-minute slide)
SELECT
    model_name,
    HOP_START(event_time, INTERVAL '5' MINUTE, INTERVAL '30' MINUTE) as window_start,
    COUNT(*) as requests,
    SUM(cost_usd) as total_cost,
    SUM(cost_usd) / 30.0 * 60.0 as cost_per_hour_estimate
FROM feedback_events
GROUP BY
    model_name,
    HOP(event_time, INTERVAL '5' MINUTE, INTERVAL '30' MINUTE);

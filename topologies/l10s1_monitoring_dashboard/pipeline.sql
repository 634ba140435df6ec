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

-- Seed 000, lesson 10, Step 1: Create Monitoring Dashboard Stream
CREATE STREAM monitoring_dashboard AS
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '1' MINUTE) as minute,
    COUNT(*) as requests,
    COUNT(DISTINCT user_id) as unique_users,
    AVG(latency_ms) as avg_latency,
    APPROX_PERCENTILE(latency_ms, 0.95) as p95_latency,
    APPROX_PERCENTILE(latency_ms, 0.99) as p99_latency,
    SUM(cost_usd) as total_cost,
    AVG(cost_usd) as avg_cost,
    AVG(rating) as avg_rating,
    COUNT(CASE WHEN rating >= 4 THEN 1 END) * 100.0 / NULLIF(COUNT(rating), 0) as satisfaction_pct,
    COUNT(CASE WHEN error_code IS NOT NULL THEN 1 END) as errors,
    COUNT(CASE WHEN error_code IS NOT NULL THEN 1 END) * 100.0 / COUNT(*) as error_rate_pct
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '1' MINUTE);

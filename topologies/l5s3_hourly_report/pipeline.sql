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

-- Seed 000, lesson 5, Step 3: Hourly Reports
-- Hourly performance report
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '1' HOUR) as hour,
    COUNT(*) as requests,
    COUNT(DISTINCT user_id) as unique_users,
    AVG(latency_ms) as avg_latency,
    APPROX_PERCENTILE(latency_ms, 0.99) as p99_latency,
    SUM(cost_usd) as hourly_cost,
    COUNT(CASE WHEN error_code IS NOT NULL THEN 1 END) * 100.0 / COUNT(*) as error_rate_pct
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '1' HOUR)
ORDER BY hour DESC;

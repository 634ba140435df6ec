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

-- Seed 000, Exercise 5.1
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '1' MINUTE) as minute,
    COUNT(*) as requests_per_minute,
    COUNT(*) / 60.0 as qps,
    AVG(latency_ms) as avg_latency
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '1' MINUTE);

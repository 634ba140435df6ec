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

-- Seed 000, lesson 4, Step 5: Percentiles
-- Latency percentiles (p50, p95, p99)
SELECT
    model_name,
    APPROX_PERCENTILE(latency_ms, 0.5) as p50_latency,
    APPROX_PERCENTILE(latency_ms, 0.95) as p95_latency,
    APPROX_PERCENTILE(latency_ms, 0.99) as p99_latency
FROM feedback_events
GROUP BY model_name;

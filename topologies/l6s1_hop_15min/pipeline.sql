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

-- Seed 000, lesson 6, Step 1: 15-Minute Sliding Window
-- 15-minute windows sliding every 1 minute
SELECT
    model_name,
    HOP_START(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE) as window_start,
    HOP_END(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE) as window_end,
    COUNT(*) as requests,
    AVG(latency_ms) as moving_avg_latency,
    STDDEV(latency_ms) as moving_stddev_latency
FROM feedback_events
GROUP BY
    model_name,
    HOP(event_time, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE);

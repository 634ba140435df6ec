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

-- Seed 000, lesson 6 step 2: LAG over the windowed results of a CTE, ordered by window start
WITH moving_stats AS (
    SELECT
        model_name,
        HOP_START(event_time, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE) as window_start,
        AVG(latency_ms) as avg_latency,
        STDDEV(latency_ms) as stddev_latency
    FROM feedback_events
    GROUP BY
        model_name,
        HOP(event_time, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE)
)
SELECT
    model_name,
    window_start,
    avg_latency,
    stddev_latency,
    LAG(avg_latency, 1) OVER (PARTITION BY model_name ORDER BY window_start) as prev_avg,
    CASE
        WHEN avg_latency > LAG(avg_latency, 1) OVER (PARTITION BY model_name ORDER BY window_start) * 1.5
        THEN 'SPIKE'
        ELSE 'NORMAL'
    END as status
FROM moving_stats;

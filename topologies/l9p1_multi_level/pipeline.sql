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

-- Seed 000, lesson 9 pattern 1: hourly windowed CTE aggregated again per day (windowed -> non-windowed)
WITH hourly_metrics AS (
    SELECT
        model_name,
        TUMBLE_START(event_time, INTERVAL '1' HOUR) as hour,
        COUNT(*) as requests,
        AVG(latency_ms) as avg_latency,
        SUM(cost_usd) as hourly_cost
    FROM feedback_events
    GROUP BY
        model_name,
        TUMBLE(event_time, INTERVAL '1' HOUR)
)
SELECT
    model_name,
    DATE(hour) as date,
    SUM(requests) as daily_requests,
    AVG(avg_latency) as daily_avg_latency,
    SUM(hourly_cost) as daily_cost
FROM hourly_metrics
GROUP BY model_name, DATE(hour);

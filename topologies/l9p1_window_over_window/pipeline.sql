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

-- Multi-level aggregation, window over window: 10-minute windows re-aggregated into hourly windows.
-- The inner result's event time is its window_time (TUMBLE_ROWTIME = window end - 1 ms), as in Flink.
WITH per_10min AS (
    SELECT
        model_name,
        TUMBLE_ROWTIME(event_time, INTERVAL '10' MINUTE) as rt,
        COUNT(*) as requests,
        MAX(latency_ms) as max_latency
    FROM feedback_events
    GROUP BY model_name, TUMBLE(event_time, INTERVAL '10' MINUTE)
)
SELECT
    model_name,
    TUMBLE_START(rt, INTERVAL '1' HOUR) as hour_start,
    SUM(requests) as requests,
    MAX(max_latency) as max_latency,
    COUNT(*) as busy_10min_windows
FROM per_10min
GROUP BY model_name, TUMBLE(rt, INTERVAL '1' HOUR);

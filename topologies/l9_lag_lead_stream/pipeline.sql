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

-- LAG and LEAD over the raw stream, per user in event-time order. Rows are sorted as Flink sorts
-- them: held until the watermark passes them; a row already behind the watermark is late and dropped.
SELECT
    user_id,
    event_id,
    event_time,
    latency_ms,
    LAG(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) AS prev_latency,
    LAG(model_name, 2, 'none') OVER (PARTITION BY user_id ORDER BY event_time) AS model_2_before,
    LEAD(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) AS next_latency
FROM feedback_events;

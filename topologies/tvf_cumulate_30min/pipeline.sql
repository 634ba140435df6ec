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

-- Flink CUMULATE window table function: 5-minute steps within 30-minute periods
SELECT window_start, window_end, model_name, COUNT(*) AS requests, SUM(cost_usd) AS total_cost
FROM TABLE(CUMULATE(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '5' MINUTES, INTERVAL '30' MINUTES))
GROUP BY window_start, window_end, model_name;

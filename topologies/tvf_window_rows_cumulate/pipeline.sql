-- A window table function's own rows (no GROUP BY): every event once per CUMULATE window holding
-- it (1-minute steps of a 3-minute period), with window_start, window_end and window_time as
-- columns; a WHERE on them and on the event's columns, as Flink evaluates it. No row is late here.
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

SELECT event_id, model_id, latency_ms, window_start, window_end, window_time
FROM TABLE(CUMULATE(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
WHERE window_end > event_time + INTERVAL '90' SECOND AND latency_ms > 500;

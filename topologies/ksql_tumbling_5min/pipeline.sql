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

-- ksqlDB window syntax: WINDOWSTART/WINDOWEND, grace from the source watermark
SELECT model_name, WINDOWSTART AS window_start, WINDOWEND AS window_end, COUNT(*) AS requests,
       MAX(latency_ms) AS max_latency
FROM feedback_events
WINDOW TUMBLING (SIZE 5 MINUTES)
GROUP BY model_name
EMIT FINAL;

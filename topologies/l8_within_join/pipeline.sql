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

CREATE STREAM performance_metrics (
    metric_id VARCHAR,
    model_id VARCHAR,
    metric_name VARCHAR,
    metric_value DOUBLE,
    labels MAP<VARCHAR, VARCHAR>,
    timestamp TIMESTAMP ROWTIME,
    WATERMARK FOR timestamp AS timestamp - INTERVAL '10' SECOND
)
WITH (
    'connector' = 'kafka',
    'topic' = 'llm-performance',
    'properties.bootstrap.servers' = 'localhost:9092',
    'format' = 'json'
);

-- ksqlDB's WITHIN: a metric joins an event when it is at most 10 s before and 1 minute after it.
SELECT
    f.event_id,
    p.metric_id,
    p.metric_value
FROM feedback_events f
JOIN performance_metrics p WITHIN (10 SECONDS, 1 MINUTE)
ON f.model_id = p.model_id;

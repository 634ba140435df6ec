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

-- Lesson 8 step 4 as a LEFT JOIN: every feedback event, with the metrics of its model within 30 s.
-- Events without a metric come out padded with NULLs once their interval and grace have passed.
SELECT
    f.event_id,
    f.model_id,
    p.metric_id,
    p.metric_name,
    f.event_time,
    p.timestamp as metric_time
FROM feedback_events f
LEFT JOIN performance_metrics p
ON f.model_id = p.model_id
AND f.event_time BETWEEN p.timestamp - INTERVAL '30' SECOND
                     AND p.timestamp + INTERVAL '30' SECOND;

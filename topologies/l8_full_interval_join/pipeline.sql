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

-- A FULL OUTER interval join: events and metrics that find no partner within 30 s (or have a NULL
-- model_id) come out alone, padded with NULLs for the other side.
SELECT
    f.event_id,
    p.metric_id,
    COALESCE(f.model_id, p.model_id) as model_id
FROM feedback_events f
FULL OUTER JOIN performance_metrics p
ON f.model_id = p.model_id
AND p.timestamp BETWEEN f.event_time - INTERVAL '30' SECOND
                    AND f.event_time + INTERVAL '30' SECOND;

-- Flink's window join over window table functions' own rows (no GROUP BY): each feedback event
-- and each metric once per 2-minute HOP window (slide 1 minute) holding it, joined on the model
-- and on both window bounds. Planned as an interval join bounded by the window's length, so the
-- state is bounded, unmatched events are padded when their window closes, and the rows are
-- insert-only, as Flink's window join emits them.
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

SELECT f.event_id, p.metric_id, f.model_id, f.window_start, f.window_end
FROM (SELECT * FROM TABLE(HOP(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE))) f
LEFT JOIN (SELECT * FROM TABLE(HOP(TABLE performance_metrics, DESCRIPTOR(`timestamp`), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE))) p
ON f.model_id = p.model_id AND f.window_start = p.window_start AND f.window_end = p.window_end;

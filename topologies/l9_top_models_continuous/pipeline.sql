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

-- ORDER BY ... LIMIT on a continuous aggregation in a persistent query: the three most expensive
-- models, maintained as a table (a model leaving the top 3 is retracted downstream).
CREATE TABLE top_models AS
SELECT model_name, COUNT(*) AS requests, SUM(cost_usd) AS total_cost
FROM feedback_events
GROUP BY model_name
ORDER BY total_cost DESC
LIMIT 3;

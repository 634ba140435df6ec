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

-- Continuous Top-N: each model's two most expensive users so far. The ranking is over a continuous
-- aggregation (a table), so a user overtaken by another is retracted from the result.
SELECT *
FROM (
    SELECT model_name, user_id, SUM(cost_usd) AS total_cost,
           ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY SUM(cost_usd) DESC) AS rn
    FROM feedback_events
    GROUP BY model_name, user_id
)
WHERE rn <= 2;

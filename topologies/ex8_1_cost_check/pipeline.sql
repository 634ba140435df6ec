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

CREATE TABLE model_configs (
    model_id VARCHAR PRIMARY KEY,
    model_name VARCHAR,
    temperature DOUBLE,
    max_tokens INTEGER,
    cost_per_1k_tokens DOUBLE,
    provider VARCHAR,
    updated_at TIMESTAMP
)
WITH (
    'connector' = 'postgres',
    'url' = 'postgresql://localhost:5432/optimizer',
    'table-name' = 'model_configs'
);

-- Seed 000, exercise 8.1: did each request cost what its model's price says?
SELECT
    f.event_id,
    f.model_name,
    f.tokens_used,
    f.cost_usd as actual_cost,
    (f.tokens_used / 1000.0 * m.cost_per_1k_tokens) as expected_cost,
    f.cost_usd - (f.tokens_used / 1000.0 * m.cost_per_1k_tokens) as cost_difference,
    CASE
        WHEN f.cost_usd > (f.tokens_used / 1000.0 * m.cost_per_1k_tokens) * 1.1 THEN 'OVERCHARGED'
        WHEN f.cost_usd < (f.tokens_used / 1000.0 * m.cost_per_1k_tokens) * 0.9 THEN 'UNDERCHARGED'
        ELSE 'NORMAL'
    END as cost_status
FROM feedback_events f
JOIN model_configs m ON f.model_id = m.model_id
WHERE f.tokens_used > 0;

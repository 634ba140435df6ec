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

-- The seed's model_configs, replicated to every instance: 'lookup' = 'global' makes it a
-- GlobalKTable, so the stream is joined without being re-keyed or repartitioned. The topic's
-- records must be keyed by the PRIMARY KEY (a global table is restored straight from its topic).
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
    'table-name' = 'model_configs',
    'lookup' = 'global'
);

-- Seed 000, lesson 8 step 3 against the global table
SELECT
    f.event_id,
    f.model_name,
    f.latency_ms,
    COALESCE(m.temperature, 0.7) as temperature,
    COALESCE(m.max_tokens, 2048) as max_tokens,
    COALESCE(m.provider, 'Unknown') as provider
FROM feedback_events f
LEFT JOIN model_configs m
ON f.model_id = m.model_id;

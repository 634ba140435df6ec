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

-- Seed 000, lesson 8 step 5: join feedback, configs, and user profiles
CREATE TABLE user_profiles (
    user_id VARCHAR PRIMARY KEY,
    user_name VARCHAR,
    subscription_tier VARCHAR,
    signup_date TIMESTAMP
)
WITH (
    'connector' = 'postgres',
    'table-name' = 'user_profiles'
);

SELECT
    f.event_id,
    u.user_name,
    u.subscription_tier,
    f.model_name,
    m.provider,
    f.latency_ms,
    f.cost_usd,
    f.rating
FROM feedback_events f
JOIN user_profiles u ON f.user_id = u.user_id
JOIN model_configs m ON f.model_id = m.model_id
WHERE u.subscription_tier = 'enterprise';

CREATE TABLE user_preferences (
    user_id VARCHAR PRIMARY KEY,
    preferred_model_id VARCHAR,
    language VARCHAR
)
WITH (
    'connector' = 'postgres',
    'table-name' = 'user_preferences'
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

-- A foreign-key join: each user's preferred model (model_configs' PRIMARY KEY), one row per user.
SELECT
    p.user_id,
    p.preferred_model_id,
    m.provider,
    m.max_tokens
FROM user_preferences p
LEFT JOIN model_configs m
ON p.preferred_model_id = m.model_id;

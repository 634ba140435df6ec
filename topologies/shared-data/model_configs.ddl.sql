-- Seed 000, lesson 8 step 1
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

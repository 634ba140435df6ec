-- Seed 000, lesson 8 step 2: enrich events with the model configuration
CREATE TABLE model_configs (
    model_id VARCHAR PRIMARY KEY,
    model_name VARCHAR,
    temperature DOUBLE,
    max_tokens INTEGER,
    cost_per_1k_tokens DOUBLE,
    provider VARCHAR
)
WITH ('topic' = 'model-configs', 'format' = 'json');

CREATE STREAM enriched_events WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    f.event_id,
    f.user_id,
    f.model_name,
    f.latency_ms,
    f.cost_usd,
    m.temperature,
    m.max_tokens,
    m.provider
FROM feedback_events f
INNER JOIN model_configs m
ON f.model_id = m.model_id;

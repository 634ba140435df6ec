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
WITH ('topic' = 'llm-feedback', 'format' = 'json');

-- Top-N over an aggregate: each model's two most expensive users so far. Every event updates one
-- user's total, which may move them into, within or out of their model's top 2.
SELECT *
FROM (
    SELECT model_name, user_id, total_cost,
           ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY total_cost DESC) AS rn
    FROM (SELECT model_name, user_id, SUM(cost_usd) AS total_cost FROM feedback_events GROUP BY model_name, user_id)
)
WHERE rn <= 2;

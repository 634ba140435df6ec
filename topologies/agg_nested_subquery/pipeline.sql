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

-- Issue 12: GROUP BY over a GROUP BY through a sub-query. Every inner update retracts the user's old
-- row from its model's group and adds the new one.
SELECT
    model_name,
    SUM(n) AS requests,
    COUNT(*) AS users,
    MIN(n) AS fewest,
    MAX(n) AS most,
    COUNT(DISTINCT n) AS distinct_counts,
    AVG(spent) AS avg_spent
FROM (
    SELECT user_id, model_name, COUNT(*) AS n, SUM(cost_usd) AS spent
    FROM feedback_events
    GROUP BY user_id, model_name
) t
GROUP BY model_name;

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

-- Seed 000, lesson 9 pattern 2: top 5 users by cost per hour (RANK ... QUALIFY)
WITH user_hourly_cost AS (
    SELECT
        user_id,
        TUMBLE_START(event_time, INTERVAL '1' HOUR) as hour,
        SUM(cost_usd) as hourly_cost,
        COUNT(*) as requests
    FROM feedback_events
    GROUP BY
        user_id,
        TUMBLE(event_time, INTERVAL '1' HOUR)
)
SELECT
    hour,
    user_id,
    hourly_cost,
    requests,
    RANK() OVER (PARTITION BY hour ORDER BY hourly_cost DESC) as cost_rank
FROM user_hourly_cost
QUALIFY cost_rank <= 5;

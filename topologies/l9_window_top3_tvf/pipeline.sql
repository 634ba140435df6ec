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

-- Top-N per window in Flink's window TVF form: the three most expensive users of each 15 minutes.
SELECT *
FROM (
    SELECT window_start, window_end, user_id, total_cost, requests,
           ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total_cost DESC) AS rn
    FROM (
        SELECT window_start, window_end, user_id, SUM(cost_usd) AS total_cost, COUNT(*) AS requests
        FROM TABLE(TUMBLE(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '15' MINUTES))
        GROUP BY window_start, window_end, user_id
    )
)
WHERE rn <= 3;

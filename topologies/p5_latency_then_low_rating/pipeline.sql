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

-- Seed 000, lesson 9 pattern 5: detect sequences, high latency followed by low rating
SELECT
    e1.user_id,
    e1.event_id as first_event,
    e2.event_id as second_event,
    e1.latency_ms as first_latency,
    e2.rating as second_rating,
    e2.event_time - e1.event_time as time_between
FROM feedback_events e1
JOIN feedback_events e2
ON e1.user_id = e2.user_id
AND e2.event_time > e1.event_time
AND e2.event_time < e1.event_time + INTERVAL '5' MINUTE
WHERE e1.latency_ms > 5000
  AND e2.rating < 3.0;

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

-- Seed 000, lesson 10, Step 2: Create Alerting Stream
CREATE STREAM sla_violations AS
SELECT
    model_name,
    TUMBLE_START(event_time, INTERVAL '5' MINUTE) as window_start,
    COUNT(*) as requests,
    APPROX_PERCENTILE(latency_ms, 0.95) as p95_latency,
    AVG(latency_ms) as avg_latency,
    'SLA_VIOLATED' as alert_type,
    NOW() as alert_time
FROM feedback_events
GROUP BY
    model_name,
    TUMBLE(event_time, INTERVAL '5' MINUTE)
HAVING APPROX_PERCENTILE(latency_ms, 0.95) > 3000
   OR AVG(latency_ms) > 2000;

-- Seed 000, lesson 10, Step 3: write the alerts to a topic for downstream processing. The seed
-- inserts into alert_topic without declaring it; Sluice needs its columns, declared here.
CREATE STREAM alert_topic (
    model_name VARCHAR,
    window_start TIMESTAMP,
    p95_latency DOUBLE,
    alert_type VARCHAR,
    alert_time TIMESTAMP
) WITH ('topic' = 'alert_topic', 'format' = 'json');

INSERT INTO alert_topic
SELECT
    model_name,
    window_start,
    p95_latency,
    alert_type,
    alert_time
FROM sla_violations;

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

-- The models each user called in every 10-minute window, in arrival order. (A HOP window would
-- differ from Flink's order: Flink merges a hopping window from 5-minute slices, the later slice first.)
-- ARRAY_AGG keeps its elements in the aggregate's elements store (one entry per element), and the
-- input jumps hours ahead: with the record cache on (sluice run), the windows the jump closes must
-- still list their elements when their final rows are emitted.
-- Case oracle_jump: 51 generated records, 40 in 10:00-10:20 for users u1-u3 (some up to 25 s out of
-- order, within the watermark), a jump of four hours, 10 more, and a jump of two more hours.
SELECT
    user_id,
    window_start,
    window_end,
    COUNT(*) AS requests,
    ARRAY_AGG(model_name) AS model_names
FROM TABLE(TUMBLE(TABLE feedback_events, DESCRIPTOR(event_time), INTERVAL '10' MINUTE))
GROUP BY user_id, window_start, window_end;

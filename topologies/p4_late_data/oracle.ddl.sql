-- Sluice: WATERMARK 30 s plus EMIT AFTER WATERMARK + INTERVAL 2 MINUTE closes a window when a 150 s watermark would.
CREATE TABLE feedback_events (
  event_id STRING, user_id STRING, model_id STRING, model_name STRING, prompt_template STRING,
  rating DOUBLE, latency_ms BIGINT, cost_usd DOUBLE, tokens_used BIGINT, error_code STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2:30' MINUTE TO SECOND
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_feedback_events}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

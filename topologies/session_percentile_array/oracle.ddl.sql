CREATE TABLE calls (
  user_id STRING, tool STRING, latency_ms BIGINT, event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_calls}', 'format' = 'json');

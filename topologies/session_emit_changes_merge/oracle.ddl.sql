CREATE TABLE events (
  user_id STRING, event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_events}', 'format' = 'json');

CREATE TABLE ev (
  u STRING, g STRING, x DOUBLE, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA_DIR}/ev.jsonl', 'format' = 'json');

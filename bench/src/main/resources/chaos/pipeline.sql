-- The chaos test's pipeline (bench/chaos/run, ChaosTest): seed 000's feedback events and performance
-- metrics, with three queries in one application, each checked against replay after the run:
--   * a 10-second tumbling window per model (EMIT FINAL: one row per window, a suppress buffer);
--   * an interval join of each event with its model's metrics within one second (two window stores);
--   * a running count per user (a table: a duplicate or a lost record changes a count).
-- Only exact aggregates (counts, integer sums, MIN, MAX, COUNT DISTINCT): their results do not depend
-- on the order in which partitions are processed, so any difference from replay is a lost or
-- duplicated record. The one-hour watermark is the disorder a fail-over may cause: a source task that
-- was down writes its records into a repartition topic after its peers' newer ones, and Kafka Streams'
-- stream time is the newest timestamp a task has seen (not the oldest of its inputs, as Flink's
-- watermark is), so a window's grace must cover the longest outage in event time. With five minutes
-- (30 s of wall time at the default 10 event-seconds a second), a 4-minute run on a loaded machine
-- dropped records as late.
SET 'application.id' = 'sluice-chaos';

CREATE STREAM feedback_events (
    event_id VARCHAR,
    user_id VARCHAR,
    model_id VARCHAR,
    latency_ms BIGINT,
    tokens_used BIGINT,
    event_time TIMESTAMP ROWTIME,
    WATERMARK FOR event_time AS event_time - INTERVAL '1' HOUR
) WITH ('topic' = 'chaos-feedback', 'format' = 'json');

CREATE STREAM performance_metrics (
    metric_id VARCHAR,
    model_id VARCHAR,
    metric_name VARCHAR,
    metric_value BIGINT,
    ts TIMESTAMP ROWTIME,
    WATERMARK FOR ts AS ts - INTERVAL '1' HOUR
) WITH ('topic' = 'chaos-metrics', 'format' = 'json');

CREATE STREAM per_model_10s WITH ('topic' = 'chaos-per-model', 'format' = 'json') AS
SELECT model_id,
       TUMBLE_START(event_time, INTERVAL '10' SECOND) AS window_start,
       COUNT(*) AS requests,
       SUM(tokens_used) AS tokens,
       MIN(latency_ms) AS min_latency,
       MAX(latency_ms) AS max_latency,
       COUNT(DISTINCT user_id) AS users
FROM feedback_events
GROUP BY model_id, TUMBLE(event_time, INTERVAL '10' SECOND);

CREATE STREAM feedback_with_metrics WITH ('topic' = 'chaos-joined', 'format' = 'json') AS
SELECT f.event_id, f.model_id, p.metric_id, p.metric_value, f.event_time
FROM feedback_events f
JOIN performance_metrics p
  ON f.model_id = p.model_id
 AND f.event_time BETWEEN p.ts - INTERVAL '1' SECOND AND p.ts + INTERVAL '1' SECOND;

CREATE TABLE per_user WITH ('topic' = 'chaos-per-user', 'format' = 'json') AS
SELECT user_id, COUNT(*) AS requests, SUM(tokens_used) AS tokens
FROM feedback_events
GROUP BY user_id;

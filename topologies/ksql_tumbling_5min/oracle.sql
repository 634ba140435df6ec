-- The ksqlDB WINDOW TUMBLING (SIZE 5 MINUTES) query written as a Flink group window.
SELECT model_name, TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
       TUMBLE_END(event_time, INTERVAL '5' MINUTE) AS window_end, COUNT(*) AS requests,
       MAX(latency_ms) AS max_latency
FROM feedback_events
GROUP BY model_name, TUMBLE(event_time, INTERVAL '5' MINUTE);

-- Flink has no LEAD in streaming mode: LAG here, and oracle.post derives next_latency from Flink's rows.
SELECT user_id, event_id, event_time, latency_ms,
  LAG(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) AS prev_latency,
  LAG(model_name, 2, 'none') OVER (PARTITION BY user_id ORDER BY event_time) AS model_2_before
FROM feedback_events;

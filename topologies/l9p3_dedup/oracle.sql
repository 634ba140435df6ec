-- Flink has no DISTINCT ON: its deduplication idiom, ROW_NUMBER() over event time = 1.
SELECT event_id, user_id, model_name, latency_ms, cost_usd, event_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY event_time ASC) AS rn FROM feedback_events
) WHERE rn = 1;

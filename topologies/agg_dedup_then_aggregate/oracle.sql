-- Flink has no DISTINCT ON: its keep-last deduplication idiom, ROW_NUMBER() by event time DESC = 1.
SELECT model_name, COUNT(*) AS users, MAX(latency_ms) AS slowest, AVG(rating) AS avg_rating
FROM (
  SELECT user_id, model_name, latency_ms, rating, event_time FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY event_time DESC) AS rn FROM feedback_events
  ) WHERE rn = 1
) latest
GROUP BY model_name;

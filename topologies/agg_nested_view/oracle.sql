-- The view inlined (the oracle runs the last statement); AVG over DOUBLE because Sluice's AVG is DOUBLE.
SELECT model_name, SUM(n) AS requests, COUNT(*) AS users, MIN(worst) AS worst_rating, MAX(slowest) AS slowest_ms,
       COUNT(DISTINCT slowest) AS distinct_slowest, AVG(CAST(n AS DOUBLE)) AS avg_requests
FROM (
  SELECT user_id, model_name, COUNT(*) AS n, MAX(latency_ms) AS slowest, MIN(rating) AS worst
  FROM feedback_events GROUP BY user_id, model_name
) t
GROUP BY model_name;

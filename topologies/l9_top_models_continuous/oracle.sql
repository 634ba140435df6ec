-- Flink's Top-N idiom for ORDER BY ... LIMIT over an updating aggregate.
SELECT model_name, requests, total_cost FROM (
  SELECT *, ROW_NUMBER() OVER (ORDER BY total_cost DESC) AS rn FROM (
    SELECT model_name, COUNT(*) AS requests, SUM(cost_usd) AS total_cost FROM feedback_events GROUP BY model_name
  )
) WHERE rn <= 3;

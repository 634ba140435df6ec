-- Flink ranks only columns of the input: the aggregate in a sub-query first.
SELECT * FROM (
    SELECT model_name, user_id, total_cost,
           ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY total_cost DESC) AS rn
    FROM (SELECT model_name, user_id, SUM(cost_usd) AS total_cost FROM feedback_events GROUP BY model_name, user_id)
) WHERE rn <= 2;

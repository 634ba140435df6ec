WITH hourly_metrics AS (
    SELECT model_name, TUMBLE_START(event_time, INTERVAL '1' HOUR) as `hour`, COUNT(*) as requests,
           AVG(CAST(latency_ms AS DOUBLE)) as avg_latency, SUM(cost_usd) as hourly_cost
    FROM feedback_events
    GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' HOUR)
)
SELECT model_name, CAST(`hour` AS/**/DATE) as `date`, SUM(requests) as daily_requests,
       AVG(avg_latency) as daily_avg_latency, SUM(hourly_cost) as daily_cost
FROM hourly_metrics
GROUP BY model_name, CAST(`hour` AS/**/DATE);

-- Seed 000, lesson 3 step 3 (categorize requests by latency), with a WHERE
CREATE STREAM latency_categories WITH ('topic' = 'bench-out', 'format' = 'json') AS
SELECT
    event_id,
    model_name,
    latency_ms,
    CASE
        WHEN latency_ms < 1000 THEN 'Fast'
        WHEN latency_ms < 5000 THEN 'Medium'
        ELSE 'Slow'
    END AS latency_category,
    rating
FROM feedback_events
WHERE tokens_used > 0;

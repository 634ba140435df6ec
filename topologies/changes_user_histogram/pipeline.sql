-- Issue 12: change records. A histogram of per-user event counts written to a STREAM: the result
-- updates (a user moving from n to n + 1 leaves bucket n, and an emptied bucket is deleted), and a
-- STREAM only appends, so every change is a record with an `op` column, in the full form Flink's
-- changelog-json writes: +I, -U/+U pairs, -D with the deleted row.
CREATE STREAM events (
    user_id VARCHAR,
    event_time TIMESTAMP(3)
) WITH ('topic' = 'events', 'format' = 'json');

CREATE STREAM user_histogram AS
SELECT n, COUNT(*) AS users
FROM (
    SELECT user_id, COUNT(*) AS n
    FROM events
    GROUP BY user_id
) t
GROUP BY n;

-- The fail-over and restore measurements' pipeline (bench/chaos/run failover|restore): a running count
-- and sum per key, one key-value store whose size is the number of distinct keys.
SET 'application.id' = 'sluice-measure';

CREATE STREAM events (k VARCHAR, v BIGINT) WITH ('topic' = 'measure-events', 'format' = 'json');

CREATE TABLE per_key WITH ('topic' = 'measure-per-key', 'format' = 'json') AS
SELECT k, COUNT(*) AS n, SUM(v) AS total
FROM events
GROUP BY k;

-- Flink 1.20 has no PERCENTILE_CONT: Flink lists each session's latencies (so Flink still decides
-- the sessions, their merges and late drops) and oracle.post computes the median from them.
SELECT user_id,
       SESSION_START(event_time, INTERVAL '1' MINUTE) AS s_start,
       SESSION_END(event_time, INTERVAL '1' MINUTE) AS s_end,
       COUNT(*) AS n,
       LISTAGG(CAST(latency_ms AS STRING)) AS median_latency,
       ARRAY_AGG(tool) AS tools
FROM calls
GROUP BY user_id, SESSION(event_time, INTERVAL '1' MINUTE);

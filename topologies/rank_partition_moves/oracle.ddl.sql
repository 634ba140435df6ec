-- players as a table keyed by player_id: the file holds upserts, which Flink turns into an updating
-- table by keeping the last row per key (deduplication on processing time, file order at parallelism 1).
CREATE TABLE players_raw (player_id STRING, team STRING, score BIGINT, pt AS PROCTIME())
WITH ('connector' = 'filesystem', 'path' = '${INPUT_players}', 'format' = 'json');
CREATE TEMPORARY VIEW players AS
SELECT player_id, team, score
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY pt DESC) AS upsert_rn FROM players_raw)
WHERE upsert_rn = 1;

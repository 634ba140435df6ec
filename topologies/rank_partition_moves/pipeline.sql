-- A ranking whose partition moves: players are a table keyed by player_id, and a player who changes
-- team leaves the old team's top 2 (the next player moves up) and enters the new team's.
CREATE TABLE players (
    player_id VARCHAR PRIMARY KEY,
    team VARCHAR,
    score BIGINT
) WITH ('topic' = 'players', 'format' = 'json');

SELECT *
FROM (
    SELECT player_id, team, score,
           ROW_NUMBER() OVER (PARTITION BY team ORDER BY score DESC) AS rn
    FROM players
)
WHERE rn <= 2;

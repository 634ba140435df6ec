-- q3 local item suggestion: people in Oregon, Idaho or California who sell in category 10
-- (a regular join of the auction and person streams; both sides kept in state).
CREATE TABLE nexmark_q3 (name VARCHAR, city VARCHAR, state VARCHAR, id BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q3
SELECT p.name, p.city, p.state, a.id
FROM auction a
JOIN person p ON p.id = a.seller
WHERE a.category = 10 AND p.state IN ('OR', 'ID', 'CA');

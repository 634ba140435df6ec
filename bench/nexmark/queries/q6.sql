-- q6 average selling price by seller: over each seller's last 10 closed auctions (and the current
-- one), the average winning bid. Flink cannot run this in streaming mode (OVER on an updating input).
CREATE TABLE nexmark_q6 (seller BIGINT, avg_price BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q6
SELECT w.seller,
       AVG(w.price) OVER (PARTITION BY w.seller ORDER BY w.`dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
FROM (
    SELECT *
    FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY j.id, j.seller ORDER BY j.price DESC) AS rn
        FROM (
            SELECT a.id, a.seller, b.price, b.`dateTime`
            FROM auction a, bid b
            WHERE b.auction = a.id AND b.`dateTime` BETWEEN a.`dateTime` AND a.expires
        ) j
    ) r
    WHERE rn <= 1
) w;

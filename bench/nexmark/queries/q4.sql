-- q4 average closing price per category: the winning (highest) bid of each auction made while it
-- was open, averaged over the auctions of each category.
CREATE TABLE nexmark_q4 (id BIGINT, final BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q4
SELECT closed.category, AVG(closed.final_price)
FROM (
    SELECT a.id, a.category, MAX(b.price) AS final_price
    FROM auction a, bid b
    WHERE b.auction = a.id AND b.`dateTime` >= a.`dateTime` AND b.`dateTime` <= a.expires
    GROUP BY a.id, a.category
) closed
GROUP BY closed.category;

-- q7 highest bid: the bids whose price is the highest of their 10-second window.
CREATE TABLE nexmark_q7 (auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3), extra VARCHAR)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q7
SELECT b.auction, b.price, b.bidder, b.`dateTime`, b.extra
FROM bid b
JOIN (
    SELECT MAX(price) AS top_price, window_end AS window_end_time
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end
) m
ON b.price = m.top_price
WHERE b.`dateTime` BETWEEN m.window_end_time - INTERVAL '10' SECOND AND m.window_end_time;

-- q5 hot items: per sliding window (10 s, every 2 s), the auctions with the most bids.
CREATE TABLE nexmark_q5 (auction BIGINT, num BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q5
SELECT counts.auction, counts.num
FROM (
    SELECT auction, COUNT(*) AS num, window_start AS ws, window_end AS we
    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
) counts
JOIN (
    SELECT MAX(per_auction.num) AS top, per_auction.ws, per_auction.we
    FROM (
        SELECT COUNT(*) AS num, window_start AS ws, window_end AS we
        FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
        GROUP BY auction, window_start, window_end
    ) per_auction
    GROUP BY per_auction.ws, per_auction.we
) best
ON counts.ws = best.ws AND counts.we = best.we AND counts.num >= best.top;

-- Flink 1.20's filesystem connector is no lookup source ("Temporal Table Join requires primary key in
-- versioned table"): the lookup join's rows over a complete side input are the regular join's rows.
INSERT INTO nexmark_q13
SELECT b.auction, b.bidder, b.price, b.`dateTime`, s.`value`
FROM bid b
JOIN side_input s
ON MOD(b.auction, 10000) = s.key;

-- q13 bounded side input join: each bid with the side-input value for its auction id mod 10000,
-- looked up when the bid is processed (a processing-time lookup join). The side input is a file of
-- `key,value` lines (sluice run --input side_input=FILE, or the topic 'side_input').
CREATE TABLE side_input (key BIGINT, `value` VARCHAR)
WITH ('connector' = 'filesystem', 'path' = 'side_input.csv', 'format' = 'csv');

CREATE TABLE nexmark_q13 (auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3), `value` VARCHAR)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q13
SELECT b.auction, b.bidder, b.price, b.`dateTime`, s.`value`
FROM (SELECT *, PROCTIME() AS arrival FROM bid) b
JOIN side_input FOR SYSTEM_TIME AS OF b.arrival AS s
ON MOD(b.auction, 10000) = s.key;

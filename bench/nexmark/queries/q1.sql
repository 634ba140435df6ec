-- q1 currency conversion: bid prices from dollars to euros (rate 0.908).
CREATE TABLE nexmark_q1 (auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), `dateTime` TIMESTAMP(3), extra VARCHAR)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q1
SELECT auction, bidder, price * 0.908 AS euro_price, `dateTime`, extra
FROM bid;

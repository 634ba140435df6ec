-- Nexmark q6 over the Nexmark Kafka DDL (assembled by bench/nexmark/assemble from bench/nexmark/queries).
-- Nexmark events on one Kafka topic: event_type says which of the three ROW columns is set
-- (0 person, 1 auction, 2 bid). Event time is the set row's dateTime, as a computed column.
CREATE TABLE kafka (
    event_type INT,
    person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR,
               `dateTime` TIMESTAMP(3), extra VARCHAR>,
    auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
                `dateTime` TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR>,
    bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, `dateTime` TIMESTAMP(3),
            extra VARCHAR>,
    `dateTime` AS CASE event_type
                      WHEN 0 THEN person.`dateTime`
                      WHEN 1 THEN auction.`dateTime`
                      ELSE bid.`dateTime`
                  END,
    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'nexmark',
    'properties.bootstrap.servers' = 'localhost:9092',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);

-- One view per event kind, with the row's fields as columns.
CREATE VIEW person AS
SELECT person.id, person.name, person.emailAddress, person.creditCard, person.city, person.state, `dateTime`,
       person.extra
FROM kafka
WHERE event_type = 0;

CREATE VIEW auction AS
SELECT auction.id, auction.itemName, auction.description, auction.initialBid, auction.reserve, `dateTime`,
       auction.expires, auction.seller, auction.category, auction.extra
FROM kafka
WHERE event_type = 1;

CREATE VIEW bid AS
SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, `dateTime`, bid.extra
FROM kafka
WHERE event_type = 2;

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

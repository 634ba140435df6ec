-- Streaming OVER aggregates over Nexmark bids (the stream form of q6's AVG ... OVER ... ROWS 10 PRECEDING), in event-time order under the watermark.
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

-- Per auction, each bid with the average, maximum, count and sum of its last 11 bids (itself and 10 before);
-- Flink runs this in streaming mode (one frame per query, as Flink's streaming OVER requires).
CREATE TABLE nexmark_over_stream (auction BIGINT, bidder BIGINT, price BIGINT, avg_price BIGINT, max_price BIGINT,
                                  n BIGINT, total BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_over_stream
SELECT auction, bidder, price,
       AVG(price) OVER (PARTITION BY auction ORDER BY `dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW),
       MAX(price) OVER (PARTITION BY auction ORDER BY `dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW),
       COUNT(*) OVER (PARTITION BY auction ORDER BY `dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW),
       SUM(price) OVER (PARTITION BY auction ORDER BY `dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
FROM bid;

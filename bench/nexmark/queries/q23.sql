-- q23 multi-way join: each bid with its bidder (a person) and with the auctions that bidder sells.
CREATE TABLE nexmark_q23 (
    bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, bid_extra VARCHAR,
    person_id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR,
    person_extra VARCHAR, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
    auction_dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, auction_extra VARCHAR
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q23
SELECT b.bidder, b.price, b.channel, b.url, b.extra,
       p.id, p.name, p.emailAddress, p.creditCard, p.city, p.state, p.extra,
       a.itemName, a.description, a.initialBid, a.reserve, a.`dateTime`, a.expires, a.seller, a.category, a.extra
FROM bid b
JOIN person p ON p.id = b.bidder
JOIN auction a ON a.seller = b.bidder;

-- A regular LEFT JOIN whose rows are kept for a state TTL: a payment matches the orders at most
-- 5 seconds apart from it in event time (either way), and older rows are forgotten without
-- retracting anything, so an order whose payment comes too late stays padded with NULLs.
SET 'table.exec.state.ttl' = '5 s';

CREATE TABLE events (
    kind VARCHAR,
    id INT,
    k INT,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'json');

CREATE VIEW orders AS SELECT id AS order_id, k AS customer, ts FROM events WHERE kind = 'order';

CREATE VIEW payments AS SELECT id AS payment_id, k AS customer, ts FROM events WHERE kind = 'payment';

SELECT o.order_id, o.customer, p.payment_id, p.customer AS paying_customer
FROM orders o LEFT JOIN payments p ON o.customer = p.customer;

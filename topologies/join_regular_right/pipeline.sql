-- A regular (unbounded) RIGHT JOIN of two streams (planned as the LEFT JOIN of the swapped sides),
-- Flink's meaning: a row without a match is emitted
-- at once padded with NULLs, and deleted (-D) when its first match arrives. Both streams are views
-- over one topic, read in order. Flink's join interleaves its two inputs as network buffers fill,
-- which varies between runs: the committed changelog is from a run that took them in topic order,
-- and PipelinesTest compares each join key's changes in order (the `changelog` file says per-key).
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
FROM orders o RIGHT JOIN payments p ON o.customer = p.customer;

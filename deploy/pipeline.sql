-- The pipeline the image runs unless another one is mounted over /app/pipeline.sql.
-- Every replica reads the same SQL, so every replica builds the same topology and joins the same
-- consumer group (the application id below).
SET 'application.id' = 'sluice-orders';
-- Local state (windows, aggregates) lives on the volume mounted here; after a restart on the same
-- volume only the changelog tail is replayed, not the whole changelog.
SET 'state.dir' = '/var/lib/sluice/state';

CREATE STREAM orders (
    order_id VARCHAR,
    customer_id VARCHAR,
    amount DOUBLE,
    order_time TIMESTAMP ROWTIME,
    WATERMARK FOR order_time AS order_time - INTERVAL '30' SECOND
) WITH (
    'topic' = 'orders',
    'format' = 'json'
);

CREATE STREAM revenue_per_minute WITH (
    'topic' = 'revenue-per-minute',
    'format' = 'json',
    'partitions' = '4'
) AS
SELECT
    customer_id,
    TUMBLE_START(order_time, INTERVAL '1' MINUTE) AS window_start,
    COUNT(*) AS orders,
    SUM(amount) AS revenue
FROM orders
GROUP BY customer_id, TUMBLE(order_time, INTERVAL '1' MINUTE);

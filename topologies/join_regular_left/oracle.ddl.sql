CREATE TABLE events (
  kind STRING, id INT, k INT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_events}', 'format' = 'json');
CREATE VIEW orders AS SELECT id AS order_id, k AS customer, ts FROM events WHERE kind = 'order';
CREATE VIEW payments AS SELECT id AS payment_id, k AS customer, ts FROM events WHERE kind = 'payment';

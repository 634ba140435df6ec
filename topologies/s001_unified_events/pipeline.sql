-- Seed 001, "Multi-Source Aggregation": one stream from three sources with UNION ALL. The seed reads
-- URIs (kafka://, file://, s3://); Sluice reads declared streams, so each source is declared here.
CREATE STREAM kafka_events (event_id VARCHAR, event_type VARCHAR, `timestamp` TIMESTAMP)
    WITH ('topic' = 'events', 'format' = 'json');
CREATE STREAM file_events (event_id VARCHAR, event_type VARCHAR, `timestamp` TIMESTAMP)
    WITH ('topic' = 'file-events', 'format' = 'json');
CREATE STREAM s3_events (event_id VARCHAR, event_type VARCHAR, `timestamp` TIMESTAMP)
    WITH ('topic' = 's3-events', 'format' = 'json');

CREATE STREAM unified_events AS
SELECT
    'kafka' as source,
    event_id,
    event_type,
    `timestamp`
FROM kafka_events

UNION ALL

SELECT
    'file' as source,
    event_id,
    event_type,
    `timestamp`
FROM file_events

UNION ALL

SELECT
    's3' as source,
    event_id,
    event_type,
    `timestamp`
FROM s3_events;

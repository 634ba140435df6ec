-- Flink DDL equivalent of the seed's performance_metrics stream (exercise 1.1), for the oracle.
CREATE TABLE performance_metrics (
  metric_id STRING, model_id STRING, metric_name STRING, metric_value DOUBLE,
  labels MAP<STRING, STRING>, `timestamp` TIMESTAMP(3),
  WATERMARK FOR `timestamp` AS `timestamp` - INTERVAL '10' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_performance_metrics}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

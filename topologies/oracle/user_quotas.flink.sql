-- Flink DDL of the user_quotas table of l8_table_table_join, for the oracle.
CREATE TABLE user_quotas (
  user_id STRING, monthly_quota BIGINT, plan STRING
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_user_quotas}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

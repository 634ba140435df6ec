-- Flink DDL equivalent of shared-data/model_configs.ddl.sql, for the oracle. A filesystem source is
-- append-only, so a join with it is a regular join: right only when each key has one row.
CREATE TABLE model_configs (
  model_id STRING, model_name STRING, temperature DOUBLE, max_tokens INT, cost_per_1k_tokens DOUBLE,
  provider STRING, updated_at TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_model_configs}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

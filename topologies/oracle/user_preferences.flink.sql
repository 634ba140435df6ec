-- Flink DDL of the user_preferences table of l8_table_fk_join, for the oracle.
CREATE TABLE user_preferences (
  user_id STRING, preferred_model_id STRING, `language` STRING
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_user_preferences}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

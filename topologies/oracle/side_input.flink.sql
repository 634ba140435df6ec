-- Flink DDL for the Nexmark q13 side input (`key,value` CSV lines), read from a file.
CREATE TABLE side_input (key BIGINT, `value` VARCHAR) WITH (
    'connector' = 'filesystem',
    'path' = '${INPUT_side_input}',
    'format' = 'csv'
);

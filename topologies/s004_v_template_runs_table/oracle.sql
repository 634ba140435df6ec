-- The view in Flink's dialect: JSON_VALUE for Snowflake's `:` paths, and a rank bound (Flink streams
-- ROW_NUMBER only as Top-N; 1000 is more than the input has rows, so nothing is cut).
SELECT * FROM (
SELECT TEST_ID, RUN_ID, JSON_VALUE(TEST_CONFIG, '$.template_id') AS template_id, TEST_NAME, TABLE_TYPE,
       WAREHOUSE_SIZE, STATUS, START_TIME, DURATION_SECONDS, CONCURRENT_CONNECTIONS, QPS, P50_LATENCY_MS,
       P95_LATENCY_MS, P99_LATENCY_MS, ERROR_RATE, TOTAL_OPERATIONS, READ_OPERATIONS, WRITE_OPERATIONS,
       FAILED_OPERATIONS, WAREHOUSE_CREDITS_USED,
       CASE WHEN TOTAL_OPERATIONS > 0 THEN (WAREHOUSE_CREDITS_USED / TOTAL_OPERATIONS) * 1000 ELSE NULL END
           AS credits_per_1k_ops,
       JSON_VALUE(TEST_CONFIG, '$.scenario.load_mode') AS load_mode,
       JSON_VALUE(TEST_CONFIG, '$.template_config.scaling.mode') AS scale_mode,
       ROW_NUMBER() OVER (PARTITION BY JSON_VALUE(TEST_CONFIG, '$.template_id') ORDER BY START_TIME DESC)
           AS recency_rank
FROM TEST_RESULTS
WHERE STATUS = 'COMPLETED' AND JSON_VALUE(TEST_CONFIG, '$.template_id') IS NOT NULL
) WHERE recency_rank <= 1000 AND template_id = 'tpl-a';

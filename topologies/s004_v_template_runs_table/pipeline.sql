-- Seed 004 section 5, the view V_TEMPLATE_RUNS, with TEST_RESULTS declared as a TABLE keyed by TEST_ID:
-- a test run is updated in place (its status, its template), so a run whose template changes moves
-- between ROW_NUMBER partitions and a run that stops being COMPLETED leaves its ranking.
CREATE TABLE FLAKEBENCH.TEST_RESULTS.TEST_RESULTS (
    TEST_ID VARCHAR PRIMARY KEY,
    RUN_ID VARCHAR,
    TEST_NAME VARCHAR,
    TABLE_TYPE VARCHAR,
    WAREHOUSE_SIZE VARCHAR,
    STATUS VARCHAR,
    START_TIME TIMESTAMP,
    DURATION_SECONDS DOUBLE,
    CONCURRENT_CONNECTIONS INT,
    QPS DOUBLE,
    P50_LATENCY_MS DOUBLE,
    P95_LATENCY_MS DOUBLE,
    P99_LATENCY_MS DOUBLE,
    ERROR_RATE DOUBLE,
    TOTAL_OPERATIONS BIGINT,
    READ_OPERATIONS BIGINT,
    WRITE_OPERATIONS BIGINT,
    FAILED_OPERATIONS BIGINT,
    WAREHOUSE_CREDITS_USED DOUBLE,
    TEST_CONFIG VARIANT
) WITH ('topic' = 'test_results', 'format' = 'json');

-- =============================================================================
-- DT_TABLE_TYPE_SUMMARY: Aggregate metrics per table type for dashboard
-- =============================================================================
-- Refresh: Downstream of TEST_RESULTS (auto-refresh when new tests complete)
-- Target Lag: 1 minute
-- =============================================================================

CREATE OR REPLACE VIEW FLAKEBENCH.TEST_RESULTS.V_TEMPLATE_RUNS AS
SELECT
    TEST_ID,
    RUN_ID,
    TEST_CONFIG:template_id::VARCHAR AS template_id,
    TEST_NAME,
    TABLE_TYPE,
    WAREHOUSE_SIZE,
    STATUS,
    START_TIME,
    DURATION_SECONDS,
    CONCURRENT_CONNECTIONS,
    
    -- Performance
    QPS,
    P50_LATENCY_MS,
    P95_LATENCY_MS,
    P99_LATENCY_MS,
    ERROR_RATE,
    
    -- Operations
    TOTAL_OPERATIONS,
    READ_OPERATIONS,
    WRITE_OPERATIONS,
    FAILED_OPERATIONS,
    
    -- Cost
    WAREHOUSE_CREDITS_USED,
    CASE 
        WHEN TOTAL_OPERATIONS > 0 
        THEN (WAREHOUSE_CREDITS_USED / TOTAL_OPERATIONS) * 1000
        ELSE NULL 
    END AS credits_per_1k_ops,
    
    -- Load mode details
    TEST_CONFIG:scenario:load_mode::VARCHAR AS load_mode,
    TEST_CONFIG:template_config:scaling:mode::VARCHAR AS scale_mode,
    
    -- For outlier detection (will be enriched by API)
    ROW_NUMBER() OVER (
        PARTITION BY TEST_CONFIG:template_id::VARCHAR 
        ORDER BY START_TIME DESC
    ) AS recency_rank

FROM FLAKEBENCH.TEST_RESULTS.TEST_RESULTS
WHERE 
    STATUS = 'COMPLETED'
    AND TEST_CONFIG:template_id IS NOT NULL;

COMMENT ON VIEW FLAKEBENCH.TEST_RESULTS.V_TEMPLATE_RUNS IS 
'Detailed run list per template for analysis page. Use with template_id filter.';

-- Section 5's view is a named query: reading it runs it (the API filters by template).
SELECT * FROM V_TEMPLATE_RUNS WHERE template_id = 'tpl-a';

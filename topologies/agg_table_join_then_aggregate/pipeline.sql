CREATE TABLE user_profiles (
    user_id VARCHAR PRIMARY KEY,
    user_name VARCHAR,
    subscription_tier VARCHAR,
    signup_date TIMESTAMP
)
WITH (
    'connector' = 'postgres',
    'table-name' = 'user_profiles'
);

CREATE TABLE user_quotas (
    user_id VARCHAR PRIMARY KEY,
    monthly_quota BIGINT,
    plan VARCHAR
)
WITH (
    'connector' = 'postgres',
    'table-name' = 'user_quotas'
);


-- Issue 12: a table-table join, then an aggregate. A LEFT join first emits a profile without its quota
-- and updates it when the quota arrives: the aggregate retracts the padded row and adds the joined one.
SELECT
    u.subscription_tier,
    COUNT(*) AS users,
    COUNT(q.user_id) AS with_quota,
    SUM(q.monthly_quota) AS total_quota,
    MAX(q.monthly_quota) AS largest_quota
FROM user_profiles u
LEFT JOIN user_quotas q
ON u.user_id = q.user_id
GROUP BY u.subscription_tier;

-- The seed's user_profiles table (lesson 8 step 5)
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

-- Two tables joined on their primary keys: a KTable-KTable INNER join, one current row per user.
SELECT
    u.user_id,
    q.user_id as quota_user_id,
    u.user_name,
    q.monthly_quota,
    q.plan
FROM user_profiles u
INNER JOIN user_quotas q
ON u.user_id = q.user_id;

-- Flink DDL equivalent of the seed's user_profiles table (lesson 8 step 5), for the oracle.
CREATE TABLE user_profiles (
  user_id STRING, user_name STRING, subscription_tier STRING, signup_date TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = '${INPUT_user_profiles}', 'format' = 'json',
        'json.ignore-parse-errors' = 'true');

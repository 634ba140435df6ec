-- Seed 003, example 1: three models that each recompute the same sessionization.
-- Sessions are a 30-minute SESSION window per user. Each model writes its own sessionization,
-- under its own sub-query or CTE name, aliases and column order, and needs different columns of it:
-- A counts events, B takes the first country, events and revenue, C takes revenue.
-- With the optimizer's `share` rule the three aggregations become one shared node that computes
-- the union of the aggregates (COUNT(*), FIRST(country), SUM(revenue)); each model reads its
-- columns from it. Outputs are identical with and without the rule (OptimizerEquivalenceTest).

CREATE STREAM events (
    user_id VARCHAR,
    country VARCHAR,
    revenue DOUBLE,
    event_time TIMESTAMP ROWTIME
) WITH ('topic' = 'events', 'format' = 'json');

-- Model A: daily active sessions by user
CREATE TABLE model_a AS
SELECT user_id, CAST(session_start AS DATE) AS session_day, COUNT(*) AS active_sessions,
       SUM(events_in_session) AS events
FROM (
    SELECT user_id, SESSION_START(event_time, INTERVAL '30' MINUTE) AS session_start,
           COUNT(*) AS events_in_session
    FROM events
    GROUP BY user_id, SESSION(event_time, INTERVAL '30' MINUTE)
) s
GROUP BY user_id, CAST(session_start AS DATE);

-- Model B: session metrics by country (a session's country is that of its first event)
CREATE TABLE model_b AS
WITH user_sessions AS (
    SELECT FIRST(country) AS session_country, SUM(revenue) AS session_revenue, COUNT(*) AS n, user_id
    FROM events
    GROUP BY SESSION(event_time, INTERVAL '30' MINUTE), user_id
)
SELECT session_country AS country, COUNT(*) AS sessions, SUM(n) AS events, SUM(session_revenue) AS revenue
FROM user_sessions
GROUP BY session_country;

-- Model C: revenue per session by hour of day (of the session's start)
CREATE TABLE model_c AS
SELECT session_hour, COUNT(*) AS sessions, AVG(rev) AS revenue_per_session
FROM (
    SELECT SUM(e.revenue) AS rev, HOUR(SESSION_START(e.event_time, INTERVAL '30' MINUTE)) AS session_hour
    FROM events AS e
    GROUP BY e.user_id, SESSION(e.event_time, INTERVAL '30' MINUTE)
) per_session
GROUP BY session_hour;

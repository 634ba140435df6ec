-- Seed 003, scenario B ("if C needs a different session definition, it can't share anymore"):
-- model C sessionizes with a 60-minute gap, A and B with 30 minutes. The share rule merges A's and
-- B's session aggregations and leaves C's alone. Same data as seed003_shared_sessions; with these
-- events every gap between sessions is over an hour, so the 60-minute sessions are the same six.
SET 'sluice.optimizer.rules' = 'all';

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

-- Model C: revenue per session by hour of day, over 60-minute sessions: not the same sessionization,
-- so C shares nothing with A and B (which still share theirs)
CREATE TABLE model_c AS
SELECT session_hour, COUNT(*) AS sessions, AVG(rev) AS revenue_per_session
FROM (
    SELECT SUM(e.revenue) AS rev, HOUR(SESSION_START(e.event_time, INTERVAL '60' MINUTE)) AS session_hour
    FROM events AS e
    GROUP BY e.user_id, SESSION(e.event_time, INTERVAL '60' MINUTE)
) per_session
GROUP BY session_hour;

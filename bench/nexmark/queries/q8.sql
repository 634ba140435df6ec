-- q8 monitor new users: people who opened an auction in the same 10-second window they registered in.
CREATE TABLE nexmark_q8 (id BIGINT, name VARCHAR, stime TIMESTAMP(3))
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q8
SELECT np.id, np.name, np.ws
FROM (
    SELECT id, name, window_start AS ws, window_end AS we
    FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
    GROUP BY id, name, window_start, window_end
) np
JOIN (
    SELECT seller, window_start AS ws, window_end AS we
    FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
    GROUP BY seller, window_start, window_end
) na
ON np.id = na.seller AND np.ws = na.ws AND np.we = na.we;

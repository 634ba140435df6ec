-- The Flink oracle has no count_char UDF: the same count written with built-in functions.
INSERT INTO nexmark_q14
SELECT auction, bidder, price * 0.908,
       CASE
           WHEN HOUR(`dateTime`) BETWEEN 8 AND 18 THEN 'dayTime'
           WHEN HOUR(`dateTime`) <= 6 OR HOUR(`dateTime`) >= 20 THEN 'nightTime'
           ELSE 'otherTime'
       END,
       `dateTime`, extra, CAST(CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')) AS BIGINT)
FROM bid
WHERE price * 0.908 > 1000000 AND price * 0.908 < 50000000;

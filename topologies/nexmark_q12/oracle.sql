-- Replay's wall clock follows the records' event time (docs/nexmark.md, "Processing time"), and the
-- Nexmark events are in event-time order: each bid is processed at its own dateTime, so the
-- processing-time windows hold the bids of the event-time windows, and the end of the input closes
-- the last ones as Flink's bounded source does. Flink's own processing-time rows depend on when it
-- reads the file; these are its rows for the same windows over event time.
INSERT INTO nexmark_q12
SELECT bidder, COUNT(*), window_start, window_end
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;

package dev.sluice.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue of {@link AggregateScaling}'s shapes: each {@code --shape} name with its SQL, over a
 * stream of bids or (the table shapes) over a table of bids whose rows are updated and deleted.
 */
final class ScalingShapes {
    static final String SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, SUM(price) AS volume, MAX(price) AS top_price,
                   COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel;
            """;

    /**
     * The same aggregates per one-day tumbling window: the whole input falls in one window, so
     * each window's group grows with the input as the non-windowed group does.
     */
    static final String TUMBLE_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   SUM(price) AS volume, MAX(price) AS top_price,
                   COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY) EMIT CHANGES;
            """;

    /**
     * The same aggregates per one-day window every six hours: each record lies in four windows,
     * all of which hold the whole input, so every window's group grows with it.
     */
    static final String HOP_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, HOP_START(event_time, INTERVAL '6' HOUR, INTERVAL '1' DAY) AS window_start,
                   COUNT(*) AS bids, SUM(price) AS volume, MAX(price) AS top_price,
                   COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel, HOP(event_time, INTERVAL '6' HOUR, INTERVAL '1' DAY) EMIT CHANGES;
            """;

    /**
     * The same aggregates per SESSION window with a one-hour gap: the bids are a millisecond apart,
     * so each channel's input is one session that grows with it.
     */
    static final String SESSION_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start,
                   COUNT(*) AS bids, SUM(price) AS volume, MAX(price) AS top_price,
                   COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT CHANGES;
            """;

    /**
     * A GROUP BY over a table (a changelog): half the records are new bids, the others update an
     * earlier bid (its price, bidder and auction change, so its old values are retracted, sometimes
     * the channel's current MIN or MAX) and every tenth deletes one, so each channel's live rows and
     * distinct values grow with the input while every record retracts as well as adds.
     */
    static final String TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, SUM(price) AS volume, MIN(price) AS low_price,
                   MAX(price) AS top_price, COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel;
            """;

    /**
     * ARRAY_AGG and a filtered COLLECT_LIST per one-day tumbling window, EMIT FINAL: the whole
     * input falls in one window that never closes during the run, so the figures are the cost of
     * adding an element to a list that grows with the input (the row, with the whole list, is
     * built once at close: not measured).
     */
    static final String ARRAY_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder) AS bidders, COLLECT_LIST(price) FILTER (WHERE price < 10000) AS small_prices
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /**
     * As {@link #ARRAY_SQL} with EMIT CHANGES: every record emits its window's row with the whole
     * list, so the output itself grows with the group, whatever keeps the list.
     */
    static final String ARRAY_CHANGES_SQL = ARRAY_SQL.replace("INTERVAL '1' DAY);", "INTERVAL '1' DAY) EMIT CHANGES;");
    /** As {@link #ARRAY_SQL} per one-day window every six hours: each record joins four lists. */
    static final String ARRAY_HOP_SQL = ARRAY_SQL
            .replace("TUMBLE_START(event_time, INTERVAL '1' DAY)", "HOP_START(event_time, INTERVAL '6' HOUR, INTERVAL '1' DAY)")
            .replace("TUMBLE(event_time, INTERVAL '1' DAY)", "HOP(event_time, INTERVAL '6' HOUR, INTERVAL '1' DAY)");

    /**
     * Exact percentiles per one-day tumbling window (the whole input is one window per channel),
     * EMIT CHANGES, over bidder ids drawn from records / 2, so each window's distinct values grow
     * with the input.
     */
    static final String PERCENTILE_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY bidder) AS median_bidder,
                   PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY bidder) AS p95_bidder
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY) EMIT CHANGES;
            """;

    /** The percentiles over a table whose rows are updated and deleted (see {@link #TABLE_SQL}). */
    static final String PERCENTILE_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids,
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY bidder) AS median_bidder,
                   PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY bidder) AS p95_bidder
            FROM bids GROUP BY channel;
            """;

    /**
     * Percentiles, TOPK and ARRAY_AGG per SESSION window with a one-hour gap, EMIT FINAL: each
     * channel's input is one session that grows with it (nothing is emitted before the end, so the
     * figures are the per-record cost of keeping the session's collections).
     */
    static final String SESSION_COLLECTIONS_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY bidder) AS median_bidder,
                   TOPK(price, 3) AS top_prices, ARRAY_AGG(auction) AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /**
     * COUNT_DISTINCT, ATTR, TOPK(DISTINCT), MAX(DISTINCT) and COUNT(DISTINCT) per SESSION window with
     * a one-hour gap, EMIT FINAL: each channel's input is one session whose distinct values grow with
     * it (the figures are the per-record cost of keeping them).
     */
    static final String SESSION_DISTINCT_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   COUNT_DISTINCT(bidder) AS bidders, ATTR(UPPER(channel)) AS channel_name,
                   TOPK(DISTINCT bidder, 3) AS top_bidders, MAX(DISTINCT price) AS top_price,
                   COUNT(DISTINCT auction) AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /**
     * STDDEV_POP, VAR_SAMP, CORRELATION, STDDEV_SAMPLE, APPROX_COUNT_DISTINCT and APPROX_PERCENTILE
     * with DISTINCT per SESSION window with a one-hour gap, EMIT FINAL: each channel's input is one
     * session whose distinct values grow with it (state format 17 keeps them out of the state).
     */
    static final String SESSION_STDDEV_DISTINCT_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   STDDEV_POP(DISTINCT bidder) AS bidder_spread, VAR_SAMP(DISTINCT price) AS price_variance,
                   CORRELATION(DISTINCT bidder, price) AS bidder_price, STDDEV_SAMPLE(DISTINCT auction) AS auctions,
                   APPROX_COUNT_DISTINCT(DISTINCT bidder) AS bidders,
                   APPROX_PERCENTILE(DISTINCT price, 0.5) AS median_price
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /**
     * COLLECT_SET, HISTOGRAM, FIRST(DISTINCT) and LAST(DISTINCT) per SESSION window with a one-hour
     * gap, EMIT FINAL: each channel's input is one session whose distinct values grow with it.
     */
    static final String SESSION_SETS_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   COLLECT_SET(bidder) AS bidders, HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions,
                   FIRST(DISTINCT bidder) AS first_bidder, LAST(DISTINCT auction) AS last_auction
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /**
     * ARRAY_AGG with ORDER BY, and with DISTINCT and ORDER BY, per SESSION window with a one-hour
     * gap, EMIT FINAL: each channel's input is one session whose lists grow with it.
     */
    static final String SESSION_ARRAY_SORTED_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder ORDER BY price DESC) AS bidders,
                   ARRAY_AGG(DISTINCT auction ORDER BY auction) AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /** ksqlDB's TOPK and TOPKDISTINCT over a stream GROUP BY: the k largest of a growing set of values. */
    static final String TOPK_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, TOPK(bidder, 5) AS top_bidders, TOPKDISTINCT(auction, 5) AS top_auctions
            FROM bids GROUP BY channel;
            """;
    /**
     * ARRAY_AGG and a filtered COLLECT_LIST per channel, no window: each channel's list grows with
     * the input, and every record emits its channel's row with the whole list (TopologyTestDriver
     * flushes the record cache after each record; a real commit interval emits once per channel
     * and commit).
     */
    static final String ARRAY_GROUP_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, ARRAY_AGG(bidder) AS bidders,
                   COLLECT_LIST(price) FILTER (WHERE price < 10000) AS small_prices
            FROM bids GROUP BY channel;
            """;

    /** ARRAY_AGG over the table of {@link #TABLE_SQL}: every update retracts an element and adds one. */
    static final String ARRAY_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, ARRAY_AGG(bidder) AS bidders
            FROM bids GROUP BY channel;
            """;

    /**
     * ksqlDB's COUNT_DISTINCT and ATTR over a stream GROUP BY: bidders drawn from records / 2 ids and
     * a new auction every 10 bids, so each channel's distinct values grow with the input (ATTR of
     * the bidder is NULL once two differ; of a value derived from the channel it stays that value).
     */
    static final String COUNTS_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(bidder) AS bidders, COUNT_DISTINCT(auction) AS auctions,
                   ATTR(bidder) AS only_bidder, ATTR(UPPER(channel)) AS name
            FROM bids GROUP BY channel;
            """;

    /**
     * DISTINCT percentile, TOPK, COUNT_DISTINCT and ATTR per channel over the stream: each channel's
     * distinct bidders and auctions grow with the input, and only a value's first arrival counts.
     */
    static final String DISTINCT_STREAM_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, PERCENTILE_CONT(DISTINCT bidder, 0.5) AS median_bidder,
                   TOPK(DISTINCT auction, 5) AS top_auctions, COUNT_DISTINCT(DISTINCT bidder) AS bidders,
                   ATTR(DISTINCT bidder) AS only_bidder
            FROM bids GROUP BY channel;
            """;

    /**
     * DISTINCT STDDEV, VAR, CORRELATION, COUNT_IF and BOOL_OR over the table of {@link #TABLE_SQL},
     * whose rows are updated and deleted: every record retracts values, each channel's distinct
     * values grow with the input.
     */
    static final String DISTINCT_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, STDDEV_POP(DISTINCT bidder) AS bidder_spread,
                   VAR_SAMP(DISTINCT price) AS price_var, CORRELATION(DISTINCT bidder, price) AS corr,
                   COUNT_IF(DISTINCT price < 10000) AS cheap, BOOL_OR(DISTINCT auction > 100) AS later
            FROM bids GROUP BY channel;
            """;

    /**
     * FIRST and LAST over the table of {@link #TABLE_SQL} (no event time: the first and last
     * arrival still live): each row is one value, whatever the group holds.
     */
    static final String FIRST_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, FIRST(price) AS first_price, LAST(bidder) AS last_bidder
            FROM bids GROUP BY channel;
            """;

    /**
     * Over the table of {@link #TABLE_SQL}: COUNT_DISTINCT, ATTR, APPROX_COUNT_DISTINCT and
     * APPROX_PERCENTILE (both exact over a table) and a DISTINCT percentile and TOPK, every record
     * retracting as well as adding.
     */
    /**
     * COUNT_DISTINCT and ATTR over values without an order (ARRAY, MAP), kept by their equality
     * key: per channel over the stream, or over the table whose rows are updated and deleted.
     */
    static final String DISTINCT_UNORDERED_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(ARRAY[bidder, auction]) AS pairs,
                   COUNT_DISTINCT(MAP('bidder' := bidder)) AS bidders, ATTR(ARRAY[channel]) AS name
            FROM bids GROUP BY channel;
            """;
    static final String DISTINCT_UNORDERED_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(ARRAY[bidder, auction]) AS pairs,
                   COUNT_DISTINCT(MAP('bidder' := bidder)) AS bidders, ATTR(ARRAY[channel]) AS name
            FROM bids GROUP BY channel;
            """;
    static final String COUNTS_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(bidder) AS bidders, ATTR(bidder) AS only_bidder,
                   APPROX_COUNT_DISTINCT(auction) AS auctions, APPROX_PERCENTILE(price, 0.9) AS p90_price,
                   APPROX_PERCENTILE(DISTINCT bidder, 0.5) AS median_bidder,
                   TOPK(DISTINCT auction, 3) AS last_auctions
            FROM bids GROUP BY channel;
            """;
    /**
     * ARRAY_AGG with ORDER BY per one-day tumbling window, EMIT FINAL, as {@link #ARRAY_SQL}: the
     * bidders by price descending and the filtered auctions by bidder, so each record's element
     * lands anywhere in its window's list (issue 17: sorted lists in the store, state format 11).
     */
    static final String ARRAY_SORTED_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder ORDER BY price DESC) AS bidders,
                   COLLECT_LIST(auction ORDER BY bidder) FILTER (WHERE price < 10000) AS small_auctions
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /**
     * FIRST/LAST with ORDER BY over the table of {@link #TABLE_SQL}, whose rows are updated and
     * deleted: every candidate of the channel is kept, so the state grew with the channel's rows
     * (issue 17: candidates keyed by sort key in the store, state format 11).
     */
    static final String SORTED_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, FIRST(bidder ORDER BY price) AS cheapest_bidder,
                   LAST(price ORDER BY bidder DESC) AS price_of_lowest_bidder
            FROM bids GROUP BY channel;
            """;
    /**
     * ksqlDB's COLLECT_SET and HISTOGRAM per channel and one-day TUMBLE window, EMIT FINAL: the
     * window holds the whole input and stays open, so the figures are the cost of counting a value
     * into sets that grow with the input (bidders from records / 2 ids, a new auction every 10 bids).
     */
    static final String SETS_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   COLLECT_SET(bidder) AS bidders, HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /** As {@link #SETS_SQL} per channel without window: every record emits the channel's whole set and histogram. */
    static final String SETS_GROUP_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COLLECT_SET(bidder) AS bidders,
                   HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel;
            """;

    /** COLLECT_SET and HISTOGRAM over the table of {@link #TABLE_SQL}: every update retracts a value and adds one. */
    static final String SETS_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COLLECT_SET(bidder) AS bidders,
                   HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel;
            """;
    /**
     * ARRAY_AGG(DISTINCT x [ORDER BY k]), COLLECT_SET(DISTINCT x) and HISTOGRAM beside a COUNT(DISTINCT)
     * per channel and one-day TUMBLE window, EMIT FINAL: the window stays open, so the figures are
     * the cost of passing a value once into lists and sets that grow with the input (state format 18
     * keeps them in {@code <step>-elements-store}; before, in the value).
     */
    static final String ARRAY_DISTINCT_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(DISTINCT bidder) AS bidders, ARRAY_AGG(DISTINCT auction ORDER BY auction DESC) AS auctions,
                   COLLECT_SET(DISTINCT price) AS prices, HISTOGRAM(CAST(auction AS VARCHAR)) AS per_auction,
                   COUNT(DISTINCT bidder) AS n_bidders
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /** COLLECT_SET(DISTINCT) and HISTOGRAM(DISTINCT) over the table of {@link #TABLE_SQL} (format 18: in the store). */
    static final String SETS_DISTINCT_TABLE_SQL = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COLLECT_SET(DISTINCT bidder) AS bidders,
                   HISTOGRAM(DISTINCT CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel;
            """;
    /**
     * ksqlDB's STDDEV_SAMPLE, SUM_LIST and a Java aggregate ({@link RetractingSum}) with DISTINCT over
     * the table of {@link #TABLE_SQL} (state format 20: their values in the store, a plain accumulator
     * in the state).
     */
    static final String DISTINCT_RETRACTING_TABLE_SQL = """
            CREATE FUNCTION retracting_sum AS 'dev.sluice.bench.RetractingSum';
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, STDDEV_SAMPLE(DISTINCT bidder) AS bidder_spread,
                   SUM_LIST(DISTINCT ARRAY[bidder, price]) AS pair_sum, retracting_sum(DISTINCT price) AS price_sum
            FROM bids GROUP BY channel;
            """;

    /**
     * ARRAY_AGG / COLLECT_LIST with a constant ORDER BY key per channel and one-day TUMBLE window,
     * EMIT FINAL: all ties, so arrival order; the call runs without the key, its elements in
     * {@code <step>-elements-store} (state format 21; before, the list in the value).
     */
    static final String ARRAY_CONSTANT_KEY_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder ORDER BY 'k') AS bidders,
                   COLLECT_LIST(auction ORDER BY 1 DESC) FILTER (WHERE price < 10000) AS small_auctions
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /**
     * A constant's ARRAY_AGG(DISTINCT 'x' ORDER BY bidder) and ARRAY_AGG(auction ORDER BY 'k') per
     * one-hour-gap SESSION, EMIT FINAL (one open session per channel): the distinct bidders are
     * counted through {@code <step>-distinct-store}, the auctions kept in {@code <step>-values-store}
     * (state format 21; before, the set of bidders and the list in the value).
     */
    static final String SESSION_CONSTANT_SQL = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            CREATE TABLE per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   ARRAY_AGG(DISTINCT 'x' ORDER BY bidder) AS per_bidder,
                   ARRAY_AGG(auction ORDER BY 'k') AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR);
            """;

    /** Every shape by its {@code --shape} name, in the order the usage lists them. */
    static final Map<String, String> SHAPES = ordered(
            Map.entry("group", SQL),
            Map.entry("tumble", TUMBLE_SQL),
            Map.entry("hop", HOP_SQL),
            Map.entry("session", SESSION_SQL),
            Map.entry("table", TABLE_SQL),
            Map.entry("array", ARRAY_SQL),
            Map.entry("array-changes", ARRAY_CHANGES_SQL),
            Map.entry("array-hop", ARRAY_HOP_SQL),
            Map.entry("percentile", PERCENTILE_SQL),
            Map.entry("percentile-table", PERCENTILE_TABLE_SQL),
            Map.entry("topk", TOPK_SQL),
            Map.entry("counts", COUNTS_SQL),
            Map.entry("counts-table", COUNTS_TABLE_SQL),
            Map.entry("session-collections", SESSION_COLLECTIONS_SQL),
            Map.entry("session-distinct", SESSION_DISTINCT_SQL),
            Map.entry("array-group", ARRAY_GROUP_SQL),
            Map.entry("array-table", ARRAY_TABLE_SQL),
            Map.entry("first-table", FIRST_TABLE_SQL),
            Map.entry("distinct-stream", DISTINCT_STREAM_SQL),
            Map.entry("distinct-table", DISTINCT_TABLE_SQL),
            Map.entry("array-sorted", ARRAY_SORTED_SQL),
            Map.entry("sorted-table", SORTED_TABLE_SQL),
            Map.entry("sets", SETS_SQL),
            Map.entry("sets-group", SETS_GROUP_SQL),
            Map.entry("sets-table", SETS_TABLE_SQL),
            Map.entry("distinct-unordered", DISTINCT_UNORDERED_SQL),
            Map.entry("distinct-unordered-table", DISTINCT_UNORDERED_TABLE_SQL),
            Map.entry("session-stddev-distinct", SESSION_STDDEV_DISTINCT_SQL),
            Map.entry("session-sets", SESSION_SETS_SQL),
            Map.entry("session-array-sorted", SESSION_ARRAY_SORTED_SQL),
            Map.entry("array-distinct", ARRAY_DISTINCT_SQL),
            Map.entry("sets-distinct-table", SETS_DISTINCT_TABLE_SQL),
            Map.entry("distinct-retracting-table", DISTINCT_RETRACTING_TABLE_SQL),
            Map.entry("array-constant-key", ARRAY_CONSTANT_KEY_SQL),
            Map.entry("session-constant", SESSION_CONSTANT_SQL));
    /** The shapes whose input is a table: their records update and delete rows, so every record retracts. */
    static final Set<String> TABLE_SHAPES = Set.of("table", "percentile-table", "counts-table", "array-table", "first-table", "distinct-table", "sorted-table", "sets-table", "distinct-unordered-table", "sets-distinct-table",
            "distinct-retracting-table");

    private ScalingShapes() {
    }

    @SafeVarargs
    private static Map<String, String> ordered(Map.Entry<String, String>... shapes) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Map.Entry<String, String> shape : shapes) {
            byName.put(shape.getKey(), shape.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }
}

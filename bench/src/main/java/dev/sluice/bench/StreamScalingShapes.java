package dev.sluice.bench;

/**
 * {@link AggregateScaling}'s shapes over a stream of bids: every record is a new bid, so each
 * group's rows and distinct values grow with the input ({@link ScalingShapes} names them).
 */
final class StreamScalingShapes {
    /** The input every shape here declares: the stream of bids. */
    static final String BIDS = """
            CREATE STREAM bids (channel VARCHAR, bidder BIGINT, auction BIGINT, price BIGINT,
                event_time TIMESTAMP ROWTIME) WITH ('topic' = 'bids', 'format' = 'json');
            """;

    /** COUNT, SUM, MAX and COUNT(DISTINCT) per channel, no window: each channel's group grows with the input. */
    static final String GROUP_SQL = BIDS + """
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
    static final String TUMBLE_SQL = BIDS + """
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
    static final String HOP_SQL = BIDS + """
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
    static final String SESSION_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start,
                   COUNT(*) AS bids, SUM(price) AS volume, MAX(price) AS top_price,
                   COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT CHANGES;
            """;

    /**
     * ARRAY_AGG and a filtered COLLECT_LIST per one-day tumbling window, EMIT FINAL: the whole
     * input falls in one window that never closes during the run, so the figures are the cost of
     * adding an element to a list that grows with the input (the row, with the whole list, is
     * built once at close: not measured).
     */
    static final String ARRAY_SQL = BIDS + """
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
    static final String PERCENTILE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY bidder) AS median_bidder,
                   PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY bidder) AS p95_bidder
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY) EMIT CHANGES;
            """;

    /**
     * Percentiles, TOPK and ARRAY_AGG per SESSION window with a one-hour gap, EMIT FINAL: each
     * channel's input is one session that grows with it (nothing is emitted before the end, so the
     * figures are the per-record cost of keeping the session's collections).
     */
    static final String SESSION_COLLECTIONS_SQL = BIDS + """
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
    static final String SESSION_DISTINCT_SQL = BIDS + """
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
    static final String SESSION_STDDEV_DISTINCT_SQL = BIDS + """
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
    static final String SESSION_SETS_SQL = BIDS + """
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
    static final String SESSION_ARRAY_SORTED_SQL = BIDS + """
            CREATE STREAM per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder ORDER BY price DESC) AS bidders,
                   ARRAY_AGG(DISTINCT auction ORDER BY auction) AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR) EMIT FINAL;
            """;

    /** ksqlDB's TOPK and TOPKDISTINCT over a stream GROUP BY: the k largest of a growing set of values. */
    static final String TOPK_SQL = BIDS + """
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
    static final String ARRAY_GROUP_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, ARRAY_AGG(bidder) AS bidders,
                   COLLECT_LIST(price) FILTER (WHERE price < 10000) AS small_prices
            FROM bids GROUP BY channel;
            """;

    /**
     * ksqlDB's COUNT_DISTINCT and ATTR over a stream GROUP BY: bidders drawn from records / 2 ids and
     * a new auction every 10 bids, so each channel's distinct values grow with the input (ATTR of
     * the bidder is NULL once two differ; of a value derived from the channel it stays that value).
     */
    static final String COUNTS_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(bidder) AS bidders, COUNT_DISTINCT(auction) AS auctions,
                   ATTR(bidder) AS only_bidder, ATTR(UPPER(channel)) AS name
            FROM bids GROUP BY channel;
            """;

    /**
     * DISTINCT percentile, TOPK, COUNT_DISTINCT and ATTR per channel over the stream: each channel's
     * distinct bidders and auctions grow with the input, and only a value's first arrival counts.
     */
    static final String DISTINCT_STREAM_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, PERCENTILE_CONT(DISTINCT bidder, 0.5) AS median_bidder,
                   TOPK(DISTINCT auction, 5) AS top_auctions, COUNT_DISTINCT(DISTINCT bidder) AS bidders,
                   ATTR(DISTINCT bidder) AS only_bidder
            FROM bids GROUP BY channel;
            """;

    /**
     * COUNT_DISTINCT and ATTR over values without an order (ARRAY, MAP), kept by their equality
     * key: per channel over the stream, or over the table whose rows are updated and deleted.
     */
    static final String DISTINCT_UNORDERED_SQL = BIDS + DistinctUnorderedQuery.PER_CHANNEL;

    /**
     * ARRAY_AGG with ORDER BY per one-day tumbling window, EMIT FINAL, as {@link #ARRAY_SQL}: the
     * bidders by price descending and the filtered auctions by bidder, so each record's element
     * lands anywhere in its window's list (issue 17: sorted lists in the store, state format 11).
     */
    static final String ARRAY_SORTED_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(bidder ORDER BY price DESC) AS bidders,
                   COLLECT_LIST(auction ORDER BY bidder) FILTER (WHERE price < 10000) AS small_auctions
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /**
     * ksqlDB's COLLECT_SET and HISTOGRAM per channel and one-day TUMBLE window, EMIT FINAL: the
     * window holds the whole input and stays open, so the figures are the cost of counting a value
     * into sets that grow with the input (bidders from records / 2 ids, a new auction every 10 bids).
     */
    static final String SETS_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   COLLECT_SET(bidder) AS bidders, HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /** As {@link #SETS_SQL} per channel without window: every record emits the channel's whole set and histogram. */
    static final String SETS_GROUP_SQL = BIDS + """
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
    static final String ARRAY_DISTINCT_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, TUMBLE_START(event_time, INTERVAL '1' DAY) AS day_start, COUNT(*) AS bids,
                   ARRAY_AGG(DISTINCT bidder) AS bidders, ARRAY_AGG(DISTINCT auction ORDER BY auction DESC) AS auctions,
                   COLLECT_SET(DISTINCT price) AS prices, HISTOGRAM(CAST(auction AS VARCHAR)) AS per_auction,
                   COUNT(DISTINCT bidder) AS n_bidders
            FROM bids GROUP BY channel, TUMBLE(event_time, INTERVAL '1' DAY);
            """;

    /**
     * ARRAY_AGG / COLLECT_LIST with a constant ORDER BY key per channel and one-day TUMBLE window,
     * EMIT FINAL: all ties, so arrival order; the call runs without the key, its elements in
     * {@code <step>-elements-store} (state format 21; before, the list in the value).
     */
    static final String ARRAY_CONSTANT_KEY_SQL = BIDS + """
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
    static final String SESSION_CONSTANT_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, SESSION_START(event_time, INTERVAL '1' HOUR) AS session_start, COUNT(*) AS bids,
                   ARRAY_AGG(DISTINCT 'x' ORDER BY bidder) AS per_bidder,
                   ARRAY_AGG(auction ORDER BY 'k') AS auctions
            FROM bids GROUP BY channel, SESSION(event_time, INTERVAL '1' HOUR);
            """;

    private StreamScalingShapes() {
    }
}

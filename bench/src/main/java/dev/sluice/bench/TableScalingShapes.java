package dev.sluice.bench;

/**
 * {@link AggregateScaling}'s shapes over a table of bids whose rows are updated and deleted (see
 * {@link #TABLE_SQL}), so every record retracts as well as adds ({@link ScalingShapes} names them).
 */
final class TableScalingShapes {
    /** The input every shape here declares: the table of bids by id. */
    static final String BIDS = """
            CREATE TABLE bids (bid_id VARCHAR PRIMARY KEY, channel VARCHAR, bidder BIGINT, auction BIGINT,
                price BIGINT) WITH ('topic' = 'bids', 'format' = 'json');
            """;

    /**
     * A GROUP BY over a table (a changelog): half the records are new bids, the others update an
     * earlier bid (its price, bidder and auction change, so its old values are retracted, sometimes
     * the channel's current MIN or MAX) and every tenth deletes one, so each channel's live rows and
     * distinct values grow with the input while every record retracts as well as adds.
     */
    static final String TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, SUM(price) AS volume, MIN(price) AS low_price,
                   MAX(price) AS top_price, COUNT(DISTINCT bidder) AS bidders, COUNT(DISTINCT auction) AS auctions,
                   COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS small_bidders
            FROM bids GROUP BY channel;
            """;

    /** The percentiles over a table whose rows are updated and deleted (see {@link #TABLE_SQL}). */
    static final String PERCENTILE_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids,
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY bidder) AS median_bidder,
                   PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY bidder) AS p95_bidder
            FROM bids GROUP BY channel;
            """;

    /** ARRAY_AGG over the table of {@link #TABLE_SQL}: every update retracts an element and adds one. */
    static final String ARRAY_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, ARRAY_AGG(bidder) AS bidders
            FROM bids GROUP BY channel;
            """;

    /**
     * DISTINCT STDDEV, VAR, CORRELATION, COUNT_IF and BOOL_OR over the table of {@link #TABLE_SQL},
     * whose rows are updated and deleted: every record retracts values, each channel's distinct
     * values grow with the input.
     */
    static final String DISTINCT_TABLE_SQL = BIDS + """
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
    static final String FIRST_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, FIRST(price) AS first_price, LAST(bidder) AS last_bidder
            FROM bids GROUP BY channel;
            """;

    /** {@link StreamScalingShapes#DISTINCT_UNORDERED_SQL}'s query over the table's updated and deleted rows. */
    static final String DISTINCT_UNORDERED_TABLE_SQL = BIDS + DistinctUnorderedQuery.PER_CHANNEL;

    /**
     * Over the table of {@link #TABLE_SQL}: COUNT_DISTINCT, ATTR, APPROX_COUNT_DISTINCT and
     * APPROX_PERCENTILE (both exact over a table) and a DISTINCT percentile and TOPK, every record
     * retracting as well as adding.
     */
    static final String COUNTS_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(bidder) AS bidders, ATTR(bidder) AS only_bidder,
                   APPROX_COUNT_DISTINCT(auction) AS auctions, APPROX_PERCENTILE(price, 0.9) AS p90_price,
                   APPROX_PERCENTILE(DISTINCT bidder, 0.5) AS median_bidder,
                   TOPK(DISTINCT auction, 3) AS last_auctions
            FROM bids GROUP BY channel;
            """;

    /**
     * FIRST/LAST with ORDER BY over the table of {@link #TABLE_SQL}, whose rows are updated and
     * deleted: every candidate of the channel is kept, so the state grew with the channel's rows
     * (issue 17: candidates keyed by sort key in the store, state format 11).
     */
    static final String SORTED_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, FIRST(bidder ORDER BY price) AS cheapest_bidder,
                   LAST(price ORDER BY bidder DESC) AS price_of_lowest_bidder
            FROM bids GROUP BY channel;
            """;

    /** COLLECT_SET and HISTOGRAM over the table of {@link #TABLE_SQL}: every update retracts a value and adds one. */
    static final String SETS_TABLE_SQL = BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COLLECT_SET(bidder) AS bidders,
                   HISTOGRAM(CAST(auction AS VARCHAR)) AS auctions
            FROM bids GROUP BY channel;
            """;

    /** COLLECT_SET(DISTINCT) and HISTOGRAM(DISTINCT) over the table of {@link #TABLE_SQL} (format 18: in the store). */
    static final String SETS_DISTINCT_TABLE_SQL = BIDS + """
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
            """ + BIDS + """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, STDDEV_SAMPLE(DISTINCT bidder) AS bidder_spread,
                   SUM_LIST(DISTINCT ARRAY[bidder, price]) AS pair_sum, retracting_sum(DISTINCT price) AS price_sum
            FROM bids GROUP BY channel;
            """;

    private TableScalingShapes() {
    }
}

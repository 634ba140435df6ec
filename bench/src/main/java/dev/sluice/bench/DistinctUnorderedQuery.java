package dev.sluice.bench;

/**
 * The COUNT_DISTINCT/ATTR query over values without an order (ARRAY, MAP) that both the stream and
 * the table scaling shapes run, each after its own {@code bids} declaration: one text, so the two
 * shapes measure the same query over an append-only input and over a changelog.
 */
final class DistinctUnorderedQuery {
    static final String PER_CHANNEL = """
            CREATE TABLE per_channel AS
            SELECT channel, COUNT(*) AS bids, COUNT_DISTINCT(ARRAY[bidder, auction]) AS pairs,
                   COUNT_DISTINCT(MAP('bidder' := bidder)) AS bidders, ATTR(ARRAY[channel]) AS name
            FROM bids GROUP BY channel;
            """;

    private DistinctUnorderedQuery() {
    }
}

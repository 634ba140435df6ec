package dev.sluice.cli.nexmark;

/**
 * What the Nexmark generator produces. Events come in epochs of {@code person + auction + bid}
 * events (1:3:46 by default, the benchmark's proportions); event {@code n} happens at
 * {@code startMillis + n * 1000 / eventsPerSecond}, so a rate fixes the event-time span of a data
 * set. Ratios {@code r} mean "a hot id with probability 1 - 1/r" (the benchmark's defaults: half of
 * the bids go to a hot auction, three quarters come from hot bidders, three quarters of the
 * auctions from hot sellers).
 *
 * @param extraBytes length of each event's {@code extra} padding string (the published runs pad
 *                   events to a few hundred bytes; small data sets keep it short)
 */
public record NexmarkConfig(long events, long seed, long eventsPerSecond, long startMillis, int personProportion,
                            int auctionProportion, int bidProportion, int hotAuctionRatio, int hotSellerRatio,
                            int hotBidderRatio, int activePeople, int inFlightAuctions, int extraBytes) {
    /** 2015-07-15T00:00:00Z: the start of the benchmark's event time. */
    public static final long DEFAULT_START = 1_436_918_400_000L;

    public NexmarkConfig {
        if (events < 0 || eventsPerSecond <= 0 || personProportion < 1 || auctionProportion < 1 || bidProportion < 1) {
            throw new IllegalArgumentException("events >= 0, a positive rate and positive proportions are required");
        }
    }

    public static NexmarkConfig defaults(long events, long seed, long eventsPerSecond) {
        return new NexmarkConfig(events, seed, eventsPerSecond, DEFAULT_START, 1, 3, 46, 2, 4, 4, 1000, 100, 8);
    }

    int epochSize() {
        return personProportion + auctionProportion + bidProportion;
    }

    long timestampOf(long eventNumber) {
        return startMillis + eventNumber * 1000 / eventsPerSecond;
    }
}

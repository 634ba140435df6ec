package dev.sluice.cli.nexmark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The Nexmark event stream (people bidding in auctions), written for Sluice from the benchmark's
 * description: every epoch of events holds people, then auctions, then bids in the configured
 * proportions; ids follow from the event number, so person and auction ids grow with time; most
 * auctions are sold by a few hot sellers and most bids go to a few hot auctions from a few hot
 * bidders; bids refer to recent auctions and active people (plus a few ids from slightly ahead,
 * as out-of-order arrivals); an auction expires within about the time the next in-flight batch of
 * auctions takes to appear. One random generator per data set, seeded: the same seed gives the
 * same events, byte for byte.
 */
public final class NexmarkGenerator implements Iterator<NexmarkEvent> {
    static final long FIRST_PERSON_ID = 1000;
    static final long FIRST_AUCTION_ID = 1000;
    static final long FIRST_CATEGORY_ID = 10;
    private static final int CATEGORIES = 5;
    /** Ids a little ahead of the newest: events that reference something not seen yet. */
    private static final int ID_LEAD = 10;
    private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend",
            "Redmond", "Seattle", "Kent", "Cheyenne"};
    private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie",
            "Sarah", "Deiter", "Walter"};
    private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith",
            "Jones", "Noris"};
    /** Hot ids are the first of each block of this many people or auctions. */
    private static final int HOT_BLOCK = 100;
    private static final String[] HOT_CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    private static final int OTHER_CHANNELS = 10_000;

    private final NexmarkConfig config;
    private final SplittableRandom random;
    private final String[] hotUrls = new String[HOT_CHANNELS.length];
    private long next;

    public NexmarkGenerator(NexmarkConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        for (int i = 0; i < hotUrls.length; i++) {
            hotUrls[i] = url(random);
        }
    }

    @Override
    public boolean hasNext() {
        return next < config.events();
    }

    @Override
    public NexmarkEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long n = next++;
        long time = config.timestampOf(n);
        int offset = (int) (n % config.epochSize());
        if (offset < config.personProportion()) {
            return person(n, time);
        }
        if (offset < config.personProportion() + config.auctionProportion()) {
            return auction(n, time);
        }
        return bid(n, time);
    }

    // ---- ids ----------------------------------------------------------------------------------

    /** The newest person id (base 0) at event {@code n}: the person of this epoch, or the last one before. */
    private long newestPerson(long n) {
        long epoch = n / config.epochSize();
        long offset = Math.min(n % config.epochSize(), config.personProportion() - 1);
        return epoch * config.personProportion() + offset;
    }

    /** The newest auction id (base 0) at event {@code n}. */
    private long newestAuction(long n) {
        long epoch = n / config.epochSize();
        long offset = n % config.epochSize() - config.personProportion();
        if (offset < 0) {
            epoch--;
            offset = config.auctionProportion() - 1;
        } else if (offset >= config.auctionProportion()) {
            offset = config.auctionProportion() - 1;
        }
        return epoch * config.auctionProportion() + offset;
    }

    /** A person among the active ones (or just ahead of them). */
    private long activePerson(long n) {
        long people = newestPerson(n) + 1;
        long active = Math.min(people, config.activePeople());
        return people - active + random.nextLong(active + ID_LEAD);
    }

    /** An auction likely still open (or just ahead of the newest). */
    private long openAuction(long n) {
        long newest = Math.max(newestAuction(n), 0);
        long oldest = Math.max(newest - config.inFlightAuctions(), 0);
        return oldest + random.nextLong(newest - oldest + 1 + ID_LEAD);
    }

    private boolean hot(int ratio) {
        return random.nextInt(ratio) > 0;
    }

    // ---- events -------------------------------------------------------------------------------

    private NexmarkEvent person(long n, long time) {
        long id = FIRST_PERSON_ID + newestPerson(n);
        String name = pick(FIRST_NAMES) + " " + pick(LAST_NAMES);
        String email = letters(7) + "@" + letters(5) + ".com";
        String card = String.format("%04d %04d %04d %04d", random.nextInt(10_000), random.nextInt(10_000),
                random.nextInt(10_000), random.nextInt(10_000));
        String city = pick(CITIES);
        String state = pick(STATES);
        return new NexmarkEvent.Person(id, name, email, card, city, state, time, letters(config.extraBytes()));
    }

    private NexmarkEvent auction(long n, long time) {
        long id = FIRST_AUCTION_ID + newestAuction(n);
        // Hot sellers: the first person of the newest block of people.
        long seller = FIRST_PERSON_ID + (hot(config.hotSellerRatio())
                ? newestPerson(n) / HOT_BLOCK * HOT_BLOCK : activePerson(n));
        long category = FIRST_CATEGORY_ID + random.nextInt(CATEGORIES);
        long initialBid = price();
        long reserve = initialBid + price();
        String itemName = letters(20);
        String description = letters(100);
        // Open for a random time averaging the time until the next inFlightAuctions auctions exist.
        long eventsAhead = (long) config.inFlightAuctions() * config.epochSize() / config.auctionProportion();
        long horizon = Math.max(config.timestampOf(n + eventsAhead) - time, 1);
        long expires = time + 1 + random.nextLong(2 * horizon);
        return new NexmarkEvent.Auction(id, itemName, description, initialBid, reserve, time, expires, seller,
                category, letters(config.extraBytes()));
    }

    private NexmarkEvent bid(long n, long time) {
        long auction = FIRST_AUCTION_ID + (hot(config.hotAuctionRatio())
                ? Math.max(newestAuction(n), 0) / HOT_BLOCK * HOT_BLOCK : openAuction(n));
        // Hot bidders: the second person of the newest block, so that hot bidders are not the hot sellers.
        long bidder = FIRST_PERSON_ID + (hot(config.hotBidderRatio())
                ? newestPerson(n) / HOT_BLOCK * HOT_BLOCK + 1 : activePerson(n));
        long price = price();
        String channel;
        String url;
        if (random.nextBoolean()) {
            int i = random.nextInt(HOT_CHANNELS.length);
            channel = HOT_CHANNELS[i];
            url = hotUrls[i];
        } else {
            int c = random.nextInt(OTHER_CHANNELS);
            channel = "channel-" + c;
            url = url(random) + (c % 10 != 0 ? "&channel_id=" + Math.abs(Integer.reverse(c)) : "");
        }
        return new NexmarkEvent.Bid(auction, bidder, price, channel, url, time, letters(config.extraBytes()));
    }

    /** Prices spread over six orders of magnitude (cents), as in the benchmark: 10^U(0,6) dollars. */
    private long price() {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String letters(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(out);
    }

    private static String url(SplittableRandom random) {
        StringBuilder url = new StringBuilder("https://www.nexmark.com/");
        for (int part = 0; part < 3; part++) {
            for (int i = 0; i < 5; i++) {
                url.append((char) ('a' + random.nextInt(26)));
            }
            url.append('/');
        }
        return url.append("item.htm?query=1").toString();
    }
}

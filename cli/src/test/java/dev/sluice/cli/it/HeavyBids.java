package dev.sluice.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A Nexmark q16-shaped workload: bids over many channels, aggregated per channel with four counts
 * and eight COUNT(DISTINCT ...) FILTER. Each record costs much more than a filter, so a poll batch
 * takes long to process; and the expected rows are computed here, by hand, from the same bids.
 */
final class HeavyBids {
    static final long BASE = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private HeavyBids() {
    }

    record Bid(long auction, long bidder, long price, String channel, long ts) {
        String json() {
            return "{\"auction\":" + auction + ",\"bidder\":" + bidder + ",\"price\":" + price + ",\"channel\":\""
                    + channel + "\",\"date_time\":\"" + TS.format(Instant.ofEpochMilli(ts)) + "\"}";
        }
    }

    static String sql(String topic) {
        return "CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,\n"
                + "  date_time TIMESTAMP ROWTIME) WITH ('topic' = '" + topic + "', 'format' = 'json');\n"
                + "SELECT channel,\n"
                + "  COUNT(*) AS total_bids,\n"
                + "  COUNT(*) FILTER (WHERE price < 1000) AS rank1_bids,\n"
                + "  COUNT(*) FILTER (WHERE price >= 1000 AND price < 10000) AS rank2_bids,\n"
                + "  COUNT(*) FILTER (WHERE price >= 10000) AS rank3_bids,\n"
                + "  COUNT(DISTINCT bidder) AS total_bidders,\n"
                + "  COUNT(DISTINCT bidder) FILTER (WHERE price < 1000) AS rank1_bidders,\n"
                + "  COUNT(DISTINCT bidder) FILTER (WHERE price >= 1000 AND price < 10000) AS rank2_bidders,\n"
                + "  COUNT(DISTINCT bidder) FILTER (WHERE price >= 10000) AS rank3_bidders,\n"
                + "  COUNT(DISTINCT auction) AS total_auctions,\n"
                + "  COUNT(DISTINCT auction) FILTER (WHERE price < 1000) AS rank1_auctions,\n"
                + "  COUNT(DISTINCT auction) FILTER (WHERE price >= 1000 AND price < 10000) AS rank2_auctions,\n"
                + "  COUNT(DISTINCT auction) FILTER (WHERE price >= 10000) AS rank3_auctions\n"
                + "FROM bid GROUP BY channel;\n";
    }

    /** {@code n} bids over {@code channels} channels, 10 ms apart, from a fixed seed. */
    static List<Bid> bids(int n, int channels) {
        SplittableRandom random = new SplittableRandom(16);
        Bid[] out = new Bid[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Bid(random.nextLong(3000), random.nextLong(1000), random.nextLong(20_000),
                    "ch" + random.nextInt(channels), BASE + 10L * i);
        }
        return List.of(out);
    }

    static void write(List<Bid> bids, Path file) throws IOException {
        Files.write(file, bids.stream().map(Bid::json).toList());
    }

    /** The final row per channel, as "channel c1 c2 ... c12", computed directly from the bids. */
    static Map<String, String> expected(List<Bid> bids) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, List<Set<Long>>> distinct = new TreeMap<>();
        for (Bid b : bids) {
            long[] c = counts.computeIfAbsent(b.channel(), k -> new long[4]);
            List<Set<Long>> d = distinct.computeIfAbsent(b.channel(), k -> List.of(new HashSet<>(), new HashSet<>(),
                    new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>()));
            int rank = b.price() < 1000 ? 1 : b.price() < 10_000 ? 2 : 3;
            c[0]++;
            c[rank]++;
            d.get(0).add(b.bidder());
            d.get(rank).add(b.bidder());
            d.get(4).add(b.auction());
            d.get(4 + rank).add(b.auction());
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((channel, c) -> {
            StringBuilder row = new StringBuilder(channel);
            for (long v : c) {
                row.append(' ').append(v);
            }
            for (Set<Long> s : distinct.get(channel)) {
                row.append(' ').append(s.size());
            }
            out.put(channel, row.toString());
        });
        return out;
    }

    /** A printed JSON row in the form of {@link #expected}. */
    static String describe(String jsonLine) {
        var row = ItSupport.json(jsonLine.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(row.get("channel").asText());
        for (String scope : List.of("total", "rank1", "rank2", "rank3")) {
            out.append(' ').append(row.get(scope + "_bids").asLong());
        }
        for (String what : List.of("bidders", "auctions")) {
            for (String scope : List.of("total", "rank1", "rank2", "rank3")) {
                out.append(' ').append(row.get(scope + "_" + what).asLong());
            }
        }
        return out.toString();
    }
}

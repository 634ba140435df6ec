package dev.sluice.cli.nexmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NexmarkGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> events(long n, long seed, long rate) {
        NexmarkGenerator g = new NexmarkGenerator(NexmarkConfig.defaults(n, seed, rate));
        List<String> out = new ArrayList<>();
        while (g.hasNext()) {
            out.add(g.next().json());
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        assertEquals(events(2000, 7, 1000), events(2000, 7, 1000));
        assertNotEquals(events(2000, 7, 1000), events(2000, 8, 1000));
    }

    @Test
    void eachEpochOfFiftyHoldsOnePersonThreeAuctionsAndFortySixBids() throws Exception {
        int[] kinds = new int[3];
        List<String> all = events(5000, 1, 1000);
        for (int i = 0; i < all.size(); i++) {
            int type = JSON.readTree(all.get(i)).get("event_type").asInt();
            kinds[type]++;
            int offset = i % 50;
            assertEquals(offset < 1 ? 0 : offset < 4 ? 1 : 2, type, "event " + i);
        }
        assertEquals(100, kinds[0]);
        assertEquals(300, kinds[1]);
        assertEquals(4600, kinds[2]);
    }

    @Test
    void eventTimeAdvancesAtTheRateAndOnlyTheEventsOwnRowIsSet() throws Exception {
        List<String> all = events(101, 3, 50);
        JsonNode first = JSON.readTree(all.get(0));
        JsonNode last = JSON.readTree(all.get(100));
        assertEquals("2015-07-15 00:00:00.000", first.get("person").get("dateTime").asText());
        assertTrue(first.get("auction").isNull() && first.get("bid").isNull());
        // event 100 at 50 events per second: 2 s later; it is a person (100 % 50 == 0)
        assertEquals("2015-07-15 00:00:02.000", last.get("person").get("dateTime").asText());
    }

    @Test
    void bidsConcentrateOnHotAuctionsAndBiddersAndReferToKnownIds() throws Exception {
        Map<Long, Integer> perAuction = new HashMap<>();
        Map<Long, Integer> perBidder = new HashMap<>();
        Set<Long> auctions = new HashSet<>();
        int bids = 0;
        for (String line : events(20_000, 5, 1000)) {
            JsonNode e = JSON.readTree(line);
            if (e.get("event_type").asInt() == 1) {
                auctions.add(e.get("auction").get("id").asLong());
                JsonNode a = e.get("auction");
                assertTrue(a.get("expires").asText().compareTo(a.get("dateTime").asText()) > 0, "expires after it opens");
            } else if (e.get("event_type").asInt() == 2) {
                bids++;
                perAuction.merge(e.get("bid").get("auction").asLong(), 1, Integer::sum);
                perBidder.merge(e.get("bid").get("bidder").asLong(), 1, Integer::sum);
            }
        }
        int hottestAuction = perAuction.values().stream().max(Integer::compare).orElseThrow();
        int hottestBidder = perBidder.values().stream().max(Integer::compare).orElseThrow();
        // Half the bids go to hot auctions (one per block of 100 auctions: 12 here, so about 4% each;
        // a uniform choice among the ~110 open auctions would give under 1%); three quarters come
        // from hot bidders (one per block of 100 people: 4 here).
        assertTrue(hottestAuction > bids / 50, "hottest auction has " + hottestAuction + " of " + bids);
        assertTrue(hottestBidder > bids / 10, "hottest bidder has " + hottestBidder + " of " + bids);
        long known = perAuction.keySet().stream().filter(auctions::contains).count();
        assertTrue(known > perAuction.size() * 9 / 10, known + " of " + perAuction.size() + " auctions bid on exist");
    }
}

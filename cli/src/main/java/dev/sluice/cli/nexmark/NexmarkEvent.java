package dev.sluice.cli.nexmark;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One Nexmark event, written as the JSON the Nexmark Kafka DDL reads: {@code event_type} (0 person,
 * 1 auction, 2 bid) and three ROW columns of which only the event's own is set. Times are
 * {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, Flink's JSON format for TIMESTAMP(3).
 */
public sealed interface NexmarkEvent {
    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    long dateTime();

    String json();

    record Person(long id, String name, String emailAddress, String creditCard, String city, String state,
                  long dateTime, String extra) implements NexmarkEvent {
        @Override
        public String json() {
            return "{\"event_type\":0,\"person\":{\"id\":" + id + ",\"name\":" + str(name) + ",\"emailAddress\":"
                    + str(emailAddress) + ",\"creditCard\":" + str(creditCard) + ",\"city\":" + str(city)
                    + ",\"state\":" + str(state) + ",\"dateTime\":" + time(dateTime) + ",\"extra\":" + str(extra)
                    + "},\"auction\":null,\"bid\":null}";
        }
    }

    record Auction(long id, String itemName, String description, long initialBid, long reserve, long dateTime,
                   long expires, long seller, long category, String extra) implements NexmarkEvent {
        @Override
        public String json() {
            return "{\"event_type\":1,\"person\":null,\"auction\":{\"id\":" + id + ",\"itemName\":" + str(itemName)
                    + ",\"description\":" + str(description) + ",\"initialBid\":" + initialBid + ",\"reserve\":"
                    + reserve + ",\"dateTime\":" + time(dateTime) + ",\"expires\":" + time(expires) + ",\"seller\":"
                    + seller + ",\"category\":" + category + ",\"extra\":" + str(extra) + "},\"bid\":null}";
        }
    }

    record Bid(long auction, long bidder, long price, String channel, String url, long dateTime, String extra)
            implements NexmarkEvent {
        @Override
        public String json() {
            return "{\"event_type\":2,\"person\":null,\"auction\":null,\"bid\":{\"auction\":" + auction + ",\"bidder\":"
                    + bidder + ",\"price\":" + price + ",\"channel\":" + str(channel) + ",\"url\":" + str(url)
                    + ",\"dateTime\":" + time(dateTime) + ",\"extra\":" + str(extra) + "}}";
        }
    }

    /** The generated strings hold letters, digits, spaces and URL characters only: nothing to escape. */
    private static String str(String s) {
        return '"' + s + '"';
    }

    private static String time(long millis) {
        return '"' + TIME.format(Instant.ofEpochMilli(millis)) + '"';
    }
}

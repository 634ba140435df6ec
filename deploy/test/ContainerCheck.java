import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.run.Backlog;
import dev.sluice.cli.run.BacklogProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka side of deploy/test/container-test.sh, run with the CLI jar on the class path
 * ({@code java -cp cli/target/sluice.jar deploy/test/ContainerCheck.java COMMAND ...}):
 *
 * <pre>
 *   drive BOOTSTRAP TOPIC GROUP FROM_MINUTE TO_MINUTE TIMEOUT_S
 *                                                   orders for 8 customers, 3 a minute each, one minute at a
 *                                                   time: the next minute goes out once the group committed
 *                                                   TOPIC to its end (as records arriving in real time would)
 *   close BOOTSTRAP TOPIC                           one late-enough order per customer: every window before it closes
 *   members BOOTSTRAP GROUP                         prints the consumer group's member count
 *   processed BOOTSTRAP GROUP TOPIC TIMEOUT_S       exit 0 once the group committed TOPIC to its end
 *   verify BOOTSTRAP TOPIC MINUTES TIMEOUT_S        reads read_committed; exit 0 when every (customer, minute)
 *                                                   window of MINUTES minutes is there exactly once and right
 * </pre>
 *
 * The data is a function of its arguments, so verify knows each window's count and revenue.
 *
 * <p>Why one minute at a time: the input topic has 4 partitions and the aggregation re-keys, so a
 * repartition partition mixes records of several input partitions. Produced all at once, one input task
 * can run minutes of event time ahead of another, and the slower one's records then reach the window
 * aggregate after its windows closed (30 s watermark): dropped as late, by design, as Kafka Streams and
 * Flink both would. Real-time input does not have that skew; the test should not invent it.
 */
public final class ContainerCheck {
    static final int CUSTOMERS = 8;
    static final int PER_MINUTE = 3;
    /**
     * Where the data's event time starts: recent (the script passes today's midnight, -Depoch=...). Event
     * time becomes the records' timestamps, and a broker deletes segments whose newest timestamp is older
     * than retention.ms (7 days by default): data dated months back loses its first windows' output
     * while the test reads it.
     */
    static final Instant EPOCH = Instant.parse(System.getProperty("epoch", "2026-01-01T00:00:00Z"));
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "drive" -> drive(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
            case "close" -> close(args[1], args[2]);
            case "members" -> System.out.println(members(args[1], args[2]));
            case "processed" -> System.exit(awaitProcessed(args[1], args[2], args[3], Integer.parseInt(args[4])) ? 0 : 1);
            case "verify" -> System.exit(verify(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4])));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static double amount(int customer, int minute, int n) {
        return customer + minute * 0.5 + n * 0.25;
    }

    static void drive(String bootstrap, String topic, String group, int fromMinute, int toMinute, int timeoutSeconds)
            throws Exception {
        try (var producer = producer(bootstrap)) {
            for (int minute = fromMinute; minute < toMinute; minute++) {
                for (int n = 0; n < PER_MINUTE; n++) {
                    for (int c = 0; c < CUSTOMERS; c++) {
                        Instant at = EPOCH.plusSeconds(minute * 60L + n * 15L + c);
                        send(producer, topic, c, at, amount(c, minute, n), "o-" + minute + "-" + n + "-" + c);
                    }
                }
                producer.flush();
                if (!awaitProcessed(bootstrap, group, topic, timeoutSeconds)) {
                    System.out.println("drive: minute " + minute + " was not processed within " + timeoutSeconds + " s");
                    System.exit(1);
                }
            }
        }
    }

    static void close(String bootstrap, String topic) throws Exception {
        try (var producer = producer(bootstrap)) {
            for (int c = 0; c < CUSTOMERS; c++) {
                send(producer, topic, c, EPOCH.plusSeconds(60L * 60), 0.0, "closing-" + c);
            }
            producer.flush();
        }
    }

    static void send(KafkaProducer<String, String> producer, String topic, int customer, Instant at, double amount,
            String id) throws Exception {
        Map<String, Object> order = new TreeMap<>();
        order.put("order_id", id);
        order.put("customer_id", "c" + customer);
        order.put("amount", amount);
        order.put("order_time", at.toString());
        producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), "c" + customer, JSON.writeValueAsString(order))).get();
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static int members(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        }
    }

    /**
     * Waits until GROUP has processed TOPIC to its end, measured as {@code sluice run} measures its
     * own backlog (committed offsets against end offsets, transaction markers not counted).
     */
    static boolean awaitProcessed(String bootstrap, String group, String topic, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        client.put("application.id", group);
        try (BacklogProbe probe = BacklogProbe.open(client, Set.of(topic))) {
            while (true) {
                Backlog backlog = probe.measure();
                if (backlog.known() && backlog.unprocessed() == 0) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
        }
    }

    static int verify(String bootstrap, String topic, int minutes, int timeoutSeconds) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "container-check-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        Map<String, List<JsonNode>> byWindow = new TreeMap<>();
        int expected = CUSTOMERS * minutes;
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            // keep reading a little past the expected count: a duplicate arriving late must be seen
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode row = JSON.readTree(r.value());
                    byWindow.computeIfAbsent(row.get("customer_id").asText() + "@" + row.get("window_start").asText(),
                            k -> new ArrayList<>()).add(row);
                }
                if (byWindow.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            for (int minute = 0; minute < minutes; minute++) {
                String key = "c" + c + "@" + EPOCH.plusSeconds(minute * 60L);
                List<JsonNode> rows = byWindow.getOrDefault(key, matching(byWindow, c, minute));
                double revenue = 0;
                for (int n = 0; n < PER_MINUTE; n++) {
                    revenue += amount(c, minute, n);
                }
                if (rows.size() != 1) {
                    problems.add(key + " came " + rows.size() + " times");
                } else if (rows.get(0).get("orders").asLong() != PER_MINUTE
                        || Math.abs(rows.get(0).get("revenue").asDouble() - revenue) > 1e-9) {
                    problems.add(key + " is " + rows.get(0) + ", expected orders " + PER_MINUTE + ", revenue " + revenue);
                }
            }
        }
        int total = byWindow.values().stream().mapToInt(List::size).sum();
        System.out.println("verify: " + total + " row(s) read, " + byWindow.size() + " distinct window(s), "
                + expected + " expected; " + (problems.isEmpty() ? "every window exactly once and right"
                : problems.size() + " problem(s): " + problems.stream().limit(10).collect(Collectors.joining("; "))));
        return problems.isEmpty() && total == expected ? 0 : 1;
    }

    /** window_start is printed as ISO-8601; tolerate either instant spelling (with or without seconds). */
    private static List<JsonNode> matching(Map<String, List<JsonNode>> byWindow, int customer, int minute) {
        Instant start = EPOCH.plusSeconds(minute * 60L);
        return byWindow.entrySet().stream()
                .filter(e -> e.getKey().startsWith("c" + customer + "@"))
                .filter(e -> Instant.parse(e.getKey().substring(e.getKey().indexOf('@') + 1)).equals(start))
                .flatMap(e -> e.getValue().stream()).toList();
    }
}

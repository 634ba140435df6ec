package dev.sluice.bench;

import dev.sluice.bench.hand.HandFilterProjectCase;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shape (a) end to end on a real single-node broker, each version with its own input and output
 * topics: throughput over a pre-loaded backlog (first output to last), then latency while records are
 * produced at a steady rate, from the producer's send to the consumer's receipt of the output row
 * (matched by event_id). Uses the embedded broker of {@code sluice run}
 * ({@code dev.sluice.cli.broker.EmbeddedKafkaBroker}), found by name so this module builds before it exists.
 */
final class BrokerBench {
    private static final String BROKER_CLASS = "dev.sluice.cli.broker.EmbeddedKafkaBroker";
    private static final int LATENCY_RECORDS = 10_000;
    private static final int LATENCY_RATE_PER_SECOND = 1_000;
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"e(\\d+)\"");

    private BrokerBench() {
    }

    static void run(int records, long seed, PrintStream out) throws Exception {
        out.println();
        Class<?> brokerClass;
        try {
            brokerClass = Class.forName(BROKER_CLASS);
        } catch (ClassNotFoundException e) {
            out.println("--broker: pending (" + BROKER_CLASS + " is not on this branch yet)");
            return;
        }
        out.printf("real broker, shape (a) end to end: %,d backlog records, then %,d records at %,d/s for latency%n",
                records, LATENCY_RECORDS, LATENCY_RATE_PER_SECOND);
        try (AutoCloseable broker = (AutoCloseable) brokerClass.getMethod("start").invoke(null)) {
            String bootstrap = (String) brokerClass.getMethod("bootstrapServers").invoke(broker);
            InputGenerator.Inputs backlog = InputGenerator.generate(records, seed);
            InputGenerator.Inputs live = InputGenerator.generate(records + LATENCY_RECORDS, seed);
            // ABBA order (sluice, hand, hand, sluice): the first application on a fresh broker and JVM
            // runs cold, so each side gets one early and one late run and their mean is compared.
            double[] throughput = new double[2];
            int run = 0;
            for (String side : List.of("sluice", "hand", "hand", "sluice")) {
                String in = "in-" + side + "-" + run;
                String output = "out-" + side + "-" + run;
                run++;
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(output, 1, (short) 1)))
                            .all().get();
                }
                Topology topology = side.equals("sluice") ? sluice(in, output) : HandFilterProjectCase.topology(in, output);
                Measured m = measure(bootstrap, side + "-" + run, topology, in, output, backlog, live, records);
                throughput[side.equals("sluice") ? 0 : 1] += m.recordsPerSecond() / 2;
                out.println("  " + side + ": " + m.summary());
            }
            out.printf("  broker throughput ratio sluice/hand-written (mean of two runs each): %.2f%n",
                    throughput[0] / throughput[1]);
        }
    }

    private static Topology sluice(String in, String output) {
        String sql = Shapes.sql(Shapes.all().get(0)).replace("'" + InputGenerator.EVENTS + "'", "'" + in + "'")
                .replace("'" + Shape.OUTPUT + "'", "'" + output + "'");
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "bench_e2e", BuildOptions.PRODUCTION)
                .topology();
    }

    private record Measured(double recordsPerSecond, String summary) {
    }

    private static Measured measure(String bootstrap, String side, Topology topology, String in, String output,
                                  InputGenerator.Inputs backlog, InputGenerator.Inputs live, int records)
            throws Exception {
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "reader-" + side,
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int expectedBacklog = 0;
            for (InputGenerator.Input r : backlog.records()) {
                // Not the far-future closing record: brokers refuse timestamps over an hour ahead by default.
                if (r.topic().equals(InputGenerator.EVENTS) && r.record().timestamp() < InputGenerator.FAR_FUTURE) {
                    producer.send(new ProducerRecord<>(in, null, r.record().timestamp(), null, r.record().value()));
                    expectedBacklog += passesFilter(r.record().value()) ? 1 : 0;
                }
            }
            producer.flush();
            consumer.subscribe(List.of(output));
            Path stateDir = TtdRun.tempDir();
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-e2e-" + side);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            try (KafkaStreams streams = new KafkaStreams(topology, props)) {
                streams.start();
                long first = 0;
                long last = 0;
                int seen = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (seen < expectedBacklog && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        last = System.nanoTime();
                        if (seen++ == 0) {
                            first = last;
                        }
                    }
                }
                double throughput = (seen - 1) * 1e9 / Math.max(1, last - first);
                System.err.printf("  %s: backlog done, %,d of %,d rows, state %s%n", side, seen, expectedBacklog,
                        streams.state());
                // Latency: records produced at a steady rate into the running application.
                List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
                int expectedLive = expectedLive(live, records);
                Thread reader = new Thread(() -> {
                    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (latencies.size() < expectedLive && System.nanoTime() < end) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                            long now = System.nanoTime();
                            Matcher m = EVENT_ID.matcher(new String(r.value(), StandardCharsets.UTF_8));
                            if (m.find()) {
                                Long sent = sentAt.get(Long.parseLong(m.group(1)));
                                if (sent != null) {
                                    latencies.add(now - sent);
                                }
                            }
                        }
                    }
                }, "latency-reader");
                reader.start();
                long start = System.nanoTime();
                int n = 0;
                for (InputGenerator.Input r : live.records()) {
                    Matcher m = EVENT_ID.matcher(new String(r.record().value(), StandardCharsets.UTF_8));
                    if (!r.topic().equals(InputGenerator.EVENTS) || !m.find() || Long.parseLong(m.group(1)) < records) {
                        continue;
                    }
                    long due = start + n++ * 1_000_000_000L / LATENCY_RATE_PER_SECOND;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    sentAt.put(Long.parseLong(m.group(1)), System.nanoTime());
                    producer.send(new ProducerRecord<>(in, null, r.record().timestamp(), null, r.record().value()));
                }
                producer.flush();
                reader.join();
                System.err.printf("  %s: latency done, %,d rows%n", side, latencies.size());
                streams.close(Duration.ofSeconds(30));
                List<Long> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                return new Measured(throughput, String.format(
                        "%,.0f records/s over %,d output rows; latency p50 %.1f ms, p99 %.1f ms (%,d rows)",
                        throughput, seen, percentile(sorted, 50), percentile(sorted, 99), sorted.size()));
            } finally {
                TtdRun.deleteRecursively(stateDir);
            }
        }
    }

    private static int expectedLive(InputGenerator.Inputs live, int records) {
        int n = 0;
        for (InputGenerator.Input r : live.records()) {
            if (r.topic().equals(InputGenerator.EVENTS)) {
                Matcher m = EVENT_ID.matcher(new String(r.record().value(), StandardCharsets.UTF_8));
                if (m.find() && Long.parseLong(m.group(1)) >= records && passesFilter(r.record().value())) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Shape (a)'s WHERE tokens_used > 0, on the generator's JSON text. */
    private static boolean passesFilter(byte[] json) {
        return !new String(json, StandardCharsets.UTF_8).contains("\"tokens_used\":0,");
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}

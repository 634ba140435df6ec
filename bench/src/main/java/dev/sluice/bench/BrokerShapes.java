package dev.sluice.bench;

import dev.sluice.bench.hand.HandFilterProjectCase;
import dev.sluice.bench.hand.HandHoppingAggregate;
import dev.sluice.bench.hand.HandIntervalJoin;
import dev.sluice.bench.hand.HandSessionAggregate;
import dev.sluice.bench.hand.HandStreamTableJoin;
import dev.sluice.bench.hand.HandTumblingAggregate;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.SluiceApplication;
import dev.sluice.cli.run.StreamsProperties;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every shape on a real single-node broker, Sluice's topology beside the hand-written one. Sluice's
 * application is started as {@code sluice run} starts it ({@link SluiceApplication}: its configuration,
 * record handlers and dead-thread handler), and the hand-written one gets the same configuration, so
 * the ratio compares the topologies under the settings users run. Each run gets fresh topics (its own names for the events, the
 * table and metrics topics and the output), loaded with the whole input before the application
 * starts; the time measured is from the first record the application processes to the last (Kafka
 * Streams' {@code process-total} of its stream thread, which also counts repartitioned records, stops
 * changing), so the group join and topic creation at start-up are left out. One discarded warm-up
 * pair, then {@code runs} pairs alternating which side goes first; the ratio printed is the median of
 * the per-pair ratios.
 */
final class BrokerShapes {
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private BrokerShapes() {
    }

    static void run(List<Shape> shapes, int records, int runs, long seed, PrintStream out) throws Exception {
        Class<?> brokerClass = Class.forName("dev.sluice.cli.broker.EmbeddedKafkaBroker");
        InputGenerator.Inputs inputs = InputGenerator.generate(records, seed);
        out.println();
        out.printf("real broker, every shape: %,d events per run, 1 warm-up pair then %d alternating pairs, "
                + "both under `sluice run`'s settings (exactly-once v2, 200 ms commits, 10 MB cache)%n", records, runs);
        out.printf("%-5s %-32s %14s %14s %8s  %s%n", "shape", "", "sluice rec/s", "hand rec/s", "ratio", "load avg");
        double min = Double.NaN;
        try (AutoCloseable broker = (AutoCloseable) brokerClass.getMethod("start").invoke(null)) {
            String bootstrap = (String) brokerClass.getMethod("bootstrapServers").invoke(broker);
            int run = 0;
            for (Shape shape : shapes) {
                List<Double> sluice = new ArrayList<>();
                List<Double> hand = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (int pair = 0; pair <= runs; pair++) {
                    double s;
                    double h;
                    if (pair % 2 == 0) {
                        s = measure(bootstrap, shape, true, run++, inputs);
                        h = measure(bootstrap, shape, false, run++, inputs);
                    } else {
                        h = measure(bootstrap, shape, false, run++, inputs);
                        s = measure(bootstrap, shape, true, run++, inputs);
                    }
                    System.err.printf("  %s pair %d%s: sluice %,.0f rec/s, hand %,.0f rec/s%n", shape.id(), pair,
                            pair == 0 ? " (warm-up, discarded)" : "", s, h);
                    if (pair > 0) {
                        sluice.add(s);
                        hand.add(h);
                        ratios.add(s / h);
                    }
                }
                double ratio = Stats.of(ratios).median();
                min = Double.isNaN(min) ? ratio : Math.min(min, ratio);
                out.printf("%-5s %-32s %,14.0f %,14.0f %8.2f  %s%n", shape.id(), shape.title(),
                        Stats.of(sluice).median(), Stats.of(hand).median(), ratio, loadAverage());
            }
        }
        out.printf("min ratio sluice/hand-written (broker): %.2f%n", min);
    }

    /** One application over freshly loaded topics; returns input records per second. */
    private static double measure(String bootstrap, Shape shape, boolean sluice, int run,
                                  InputGenerator.Inputs inputs) throws Exception {
        String prefix = "r" + run + "-";
        Map<String, String> topics = Map.of(InputGenerator.EVENTS, prefix + InputGenerator.EVENTS,
                InputGenerator.CONFIGS, prefix + InputGenerator.CONFIGS,
                InputGenerator.METRICS, prefix + InputGenerator.METRICS, Shape.OUTPUT, prefix + Shape.OUTPUT);
        createTopics(bootstrap, topics.values());
        Set<String> read = readTopics(shape);
        long loaded = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
                // one loader, in order: a retry cannot reorder, and no idempotence state to lose on a leader change
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (InputGenerator.Input r : inputs.records()) {
                // Not the far-future closing record: brokers refuse timestamps over an hour ahead by default.
                if (read.contains(r.topic()) && r.record().timestamp() < InputGenerator.FAR_FUTURE) {
                    producer.send(new ProducerRecord<>(topics.get(r.topic()), null, r.record().timestamp(),
                            r.record().key(), r.record().value()));
                    loaded++;
                }
            }
            producer.flush();
        }
        CompiledScript script = sluiceScript(shape, topics, run);
        Path stateDir = Files.createTempDirectory("bench-broker-shapes");
        // Both sides run under the configuration `sluice run` gives this script (exactly-once, its
        // commit interval, cache and task idling), so the ratio compares topologies, not settings.
        Properties props = SluiceApplication.properties(script,
                StreamsProperties.userSettings(script.settings(), Optional.empty(), EnvPlaceholders.system()),
                bootstrap, stateDir, true);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        KafkaStreams app;
        if (sluice) {
            String deadLetters = props.getProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            if (deadLetters != null) {
                createTopics(bootstrap, List.of(deadLetters));
            }
            // exactly the client `sluice run` starts: its record handlers count and dead-letter a late or
            // bad record, and a dying stream thread stops the application
            app = SluiceApplication.client(script, props, fatal);
        } else {
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-hand-" + shape.id() + "-" + run);
            // a hand-written DSL topology lets Kafka Streams generate some internal names
            props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "false");
            app = new KafkaStreams(handTopology(shape, topics), props);
            app.setUncaughtExceptionHandler(e -> {
                fatal.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
        }
        try (KafkaStreams streams = app) {
            streams.start();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            double processed = 0;
            long first = 0;
            long lastChange = 0;
            while (System.nanoTime() < deadline) {
                if (fatal.get() != null) {
                    throw new IllegalStateException(shape.id() + (sluice ? " sluice" : " hand")
                            + ": a stream thread died", fatal.get());
                }
                Thread.sleep(20);
                double now = processTotal(streams);
                long t = System.nanoTime();
                if (now != processed) {
                    if (processed == 0) {
                        first = t;
                    }
                    processed = now;
                    lastChange = t;
                } else if (processed >= loaded && t - lastChange > QUIET.toNanos()) {
                    break;
                }
            }
            if (processed < loaded) {
                throw new IllegalStateException(shape.id() + (sluice ? " sluice" : " hand") + ": processed "
                        + processed + " of " + loaded + " records in " + TIMEOUT);
            }
            streams.close(Duration.ofSeconds(30));
            return loaded * 1e9 / Math.max(1, lastChange - first);
        } finally {
            TtdRun.deleteRecursively(stateDir);
        }
    }

    /** Creates the topics (one partition each) and waits until every partition has a leader. */
    private static void createTopics(String bootstrap, java.util.Collection<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(names.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
            // a new topic's leader can lag its creation: producing before it answered NOT_LEADER_OR_FOLLOWER
            // and then OUT_OF_ORDER_SEQUENCE_NUMBER for ever (seen at load 10)
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (admin.describeTopics(names).allTopicNames().get().values().stream()
                    .anyMatch(d -> d.partitions().stream().anyMatch(p -> p.leader() == null))
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
    }

    /** The stream threads' process-total: records processed by every task, repartitioned ones too. */
    private static double processTotal(KafkaStreams streams) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals("process-total") && e.getKey().group().equals("stream-thread-metrics")) {
                sum += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return sum;
    }

    private static Set<String> readTopics(Shape shape) {
        return switch (shape.id()) {
            case "e" -> Set.of(InputGenerator.EVENTS, InputGenerator.CONFIGS);
            case "f" -> Set.of(InputGenerator.EVENTS, InputGenerator.METRICS);
            default -> Set.of(InputGenerator.EVENTS);
        };
    }

    /** The shape's script over this run's topics, compiled as `sluice run` compiles it. */
    private static CompiledScript sluiceScript(Shape shape, Map<String, String> topics, int run) {
        String sql = Shapes.sql(shape);
        for (Map.Entry<String, String> t : topics.entrySet()) {
            sql = sql.replace("'" + t.getKey() + "'", "'" + t.getValue() + "'");
        }
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql,
                "bench_broker_" + shape.id() + "_" + run, BuildOptions.PRODUCTION);
    }

    private static Topology handTopology(Shape shape, Map<String, String> topics) {
        String in = topics.get(InputGenerator.EVENTS);
        String out = topics.get(Shape.OUTPUT);
        return switch (shape.id()) {
            case "a" -> HandFilterProjectCase.topology(in, out);
            case "b" -> HandTumblingAggregate.topology(in, out);
            case "c" -> HandHoppingAggregate.topology(in, out);
            case "d" -> HandSessionAggregate.topology(in, out);
            case "e" -> HandStreamTableJoin.topology(in, topics.get(InputGenerator.CONFIGS), out);
            case "f" -> HandIntervalJoin.topology(in, topics.get(InputGenerator.METRICS), out);
            default -> throw new IllegalArgumentException("unknown shape " + shape.id());
        };
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}

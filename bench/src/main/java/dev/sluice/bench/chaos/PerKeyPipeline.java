package dev.sluice.bench.chaos;

import dev.sluice.cli.run.BacklogProbe;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The measurements' set-up: {@code sluice broker}, the per-key pipeline ({@code per-key.sql}) as
 * {@code sluice run} instances whose log4j configuration logs restoration, and a store of {@code keys}
 * distinct keys loaded before anything is measured.
 */
final class PerKeyPipeline implements AutoCloseable {
    static final String TOPIC = "measure-events";
    final Path work;
    final BrokerProcess broker;
    final CompiledScript script;
    final Path sql;
    final Path log4j;
    private final int partitions;

    PerKeyPipeline(Path work, int partitions) throws IOException {
        this.work = Files.createDirectories(work);
        this.partitions = partitions;
        String text;
        try (InputStream in = PerKeyPipeline.class.getResourceAsStream("/chaos/per-key.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        this.sql = Files.writeString(work.resolve("per-key.sql"), text);
        this.script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(text, "per_key", BuildOptions.PRODUCTION);
        this.log4j = Files.writeString(work.resolve("log4j2-measure.properties"), String.join("\n",
                "status = error",
                "appender.console.type = Console",
                "appender.console.name = STDERR",
                "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.stderr.ref = STDERR",
                "logger.restore.name = org.apache.kafka.streams.processor.internals.StoreChangelogReader",
                "logger.restore.level = info",
                "logger.thread.name = org.apache.kafka.streams.processor.internals.StreamThread",
                "logger.thread.level = info",
                "shutdownHook = disable", ""));
        this.broker = new BrokerProcess(work);
    }

    void start() throws Exception {
        broker.start(Duration.ofSeconds(180));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1),
                    new NewTopic(script.queries().get(0).outputTopic(), partitions, (short) 1))).all().get();
        }
    }

    Instance instance(int number, Map<String, String> settings) {
        return new Instance(number, sql, work, settings, List.of("-Dlog4j2.configurationFile=" + log4j.toUri()));
    }

    /** One record for each of {@code keys} distinct keys, as fast as the broker takes them. */
    void load(int keys) {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < keys; i++) {
                String k = key(i);
                producer.send(new ProducerRecord<>(TOPIC, k, "{\"k\":\"" + k + "\",\"v\":1}"));
            }
            producer.flush();
        }
    }

    /** A thread writing {@code perSecond} records a second over the first {@code keys} keys until stopped. */
    AutoCloseable steadyInput(int keys, int perSecond) {
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(1);
            try (KafkaProducer<String, String> producer = producer()) {
                long start = System.nanoTime();
                for (long n = 0; !stop.get(); n++) {
                    long wait = start + n * 1_000_000_000L / perSecond - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    String k = key(random.nextInt(keys));
                    producer.send(new ProducerRecord<>(TOPIC, k, "{\"k\":\"" + k + "\",\"v\":1}"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steady-input");
        t.start();
        return () -> {
            stop.set(true);
            t.join();
        };
    }

    void awaitDrained(Duration timeout) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("application.id", script.applicationId());
        try (BacklogProbe probe = BacklogProbe.open(script, config)) {
            GroupProbe.waitFor(() -> probe.measure().drained(), timeout, "the application to process its input");
        }
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                new StringSerializer(), new StringSerializer());
    }

    static String key(int i) {
        return String.format("key-%07d", i);
    }

    /** A line of the instance's log that logs restoration finishing, or null. */
    static List<String> restoreLines(Instance instance) {
        try {
            return Files.readAllLines(instance.log()).stream()
                    .filter(l -> l.contains("Finished restoring") || l.contains("Restoration took")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}

package dev.sluice.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for local runs and
 * integration tests. It runs in a child JVM so that it never shares the application's heap and can be
 * stopped, or killed, as a whole; the child uses this JVM's {@code java} binary and classpath, which
 * holds {@code kafka_2.13} through the cli's dependencies.
 *
 * <p>It listens on 127.0.0.1 only, on two free ports (never 9092, which a developer's own Kafka may
 * hold). Every replication factor is 1, because with one broker anything higher makes Kafka Streams
 * wait forever on INVALID_REPLICATION_FACTOR.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** The line {@code KafkaRaftServer} logs once both the broker and the controller serve requests. */
    static final String STARTED_LINE = "Kafka Server started";
    private static final Path SETSID = Paths.get("/usr/bin/setsid");

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final Path logFile;
    private final Process process;
    private final int controllerPort;
    private final Duration startupTime;
    private final String advertised;
    private final Thread shutdownHook;
    private Admin admin;
    private boolean closed;

    /** How to start a broker: a data directory to keep (null: a temp one deleted on close), a start timeout, the child's heap. */
    public record Settings(Path dataDir, Duration startTimeout, String maxHeap, Map<String, String> extraProperties,
                           Listener listener) {
        public Settings {
            startTimeout = startTimeout == null ? Duration.ofSeconds(60) : startTimeout;
            maxHeap = maxHeap == null ? "512m" : maxHeap;
            extraProperties = extraProperties == null ? Map.of() : Map.copyOf(extraProperties);
            listener = listener == null ? Listener.LOOPBACK_FREE_PORT : listener;
        }

        public Settings(Path dataDir, Duration startTimeout, String maxHeap, Map<String, String> extraProperties) {
            this(dataDir, startTimeout, maxHeap, extraProperties, null);
        }

        public static Settings defaults() {
            return new Settings(null, null, null, null);
        }

        public Settings withDataDir(Path dir) {
            return new Settings(dir, startTimeout, maxHeap, extraProperties, listener);
        }

        public Settings withListener(Listener listener) {
            return new Settings(dataDir, startTimeout, maxHeap, extraProperties, listener);
        }
    }

    /**
     * Where clients connect: the address and port the broker listens on (port 0: a free one) and the
     * {@code host:port} it advertises (null: the listening address). The default, 127.0.0.1 on a free
     * port, keeps a local broker unreachable from other machines; a broker for containers listens on
     * 0.0.0.0 and advertises the name the other containers know it by.
     */
    public record Listener(String bindHost, int port, String advertised) {
        public static final Listener LOOPBACK_FREE_PORT = new Listener("127.0.0.1", 0, null);
    }

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteDataDirOnClose, Path logFile, Process process,
            int brokerPort, int controllerPort, Duration startupTime, String advertised) {
        this.advertised = advertised;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.logFile = logFile;
        this.process = process;
        this.controllerPort = controllerPort;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(this::stopProcess, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker with a temporary data directory, deleted again on {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        return start(Settings.defaults());
    }

    /** Starts a broker keeping its data in {@code dataDir}; an already formatted directory is reused. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(Settings.defaults().withDataDir(dataDir));
    }

    public static EmbeddedKafkaBroker start(Settings settings) {
        long begin = System.nanoTime();
        boolean temporary = settings.dataDir() == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("sluice-kafka-") : Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory " + settings.dataDir(), e);
        }
        int[] ports = freePorts(2);
        if (settings.listener().port() > 0) {
            ports[0] = settings.listener().port();
        }
        Path logFile = dir.resolve("server.log");
        Process process;
        long logStart;
        try {
            // the log is appended across restarts in one data dir: only lines after this offset count
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            Path properties = writeServerProperties(dir, settings.listener(), ports[0], ports[1], settings.extraProperties());
            Path log4j = writeLogConfig(dir);
            process = launch(settings.maxHeap(), properties, log4j, logFile, clusterIdFor(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the embedded Kafka broker in " + dir, e);
        }
        try {
            awaitStarted(process, logFile, logStart, settings.startTimeout());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        return new EmbeddedKafkaBroker(dir, temporary, logFile, process, ports[0], ports[1], took,
                advertised(settings.listener(), ports[0]));
    }

    /** The address clients use: the advertised listener. */
    public String bootstrapServers() {
        return advertised;
    }

    private static String advertised(Listener listener, int port) {
        if (listener.advertised() != null) {
            return listener.advertised();
        }
        String host = listener.bindHost().equals("0.0.0.0") ? "127.0.0.1" : listener.bindHost();
        return host + ":" + port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Wall time from {@link #start} until the broker reported itself started. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The broker's process id, for operators and for tests that check it goes away. */
    public long processId() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates a topic with replication factor 1; fails if it exists. */
    public synchronized void createTopic(String name, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic '" + name + "' with " + partitions
                    + " partitions: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic '" + name + "' took more than 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic '" + name + "'", e);
        }
    }

    /** An admin client on this broker, owned by the broker: do not close it. */
    public synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the embedded Kafka broker is closed");
        }
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    /**
     * For an owner that stops this broker in its own shutdown hook after the clients that use it: the
     * JVM runs shutdown hooks concurrently, so ours could stop the broker while they still close.
     */
    public void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // too late to remove: the hook is running
        }
    }

    /** Stops the broker (SIGTERM, then a kill after 20 s) and deletes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        stopProcess();
        removeShutdownHook();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Process launch(String maxHeap, Path properties, Path log4j, Path logFile, String clusterId)
            throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: Ctrl-C in a terminal signals the whole foreground process group, and
            // the broker must outlive the application's graceful close, which still talks to it.
            command.add(SETSID.toString());
        }
        command.addAll(List.of(java,
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC", // two cores shared with the application: no parallel GC threads
                "-XX:TieredStopAtLevel=1", // the broker here does little work; C1 alone starts faster
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", System.getProperty("java.class.path"),
                BrokerProcessMain.class.getName(), properties.toString(), clusterId));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // stdin stays a pipe: BrokerProcessMain exits when it closes (this JVM died)
        return builder.start();
    }

    private static void awaitStarted(Process process, Path logFile, long logStart, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logSaysSince(logFile, logStart, STARTED_LINE)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the embedded Kafka broker exited with code " + process.exitValue()
                        + " before it started; last lines of " + logFile + ":\n" + tail(logFile, 30));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the embedded Kafka broker", e);
            }
        }
        throw new IllegalStateException("the embedded Kafka broker did not start within " + timeout.toSeconds()
                + " s; last lines of " + logFile + ":\n" + tail(logFile, 30));
    }

    private static boolean logSaysSince(Path logFile, long offset, String line) {
        // only read while starting: what one start writes is a few hundred KB at most
        try (var channel = FileChannel.open(logFile)) {
            long size = channel.size();
            if (size <= offset) {
                return false;
            }
            var buffer = ByteBuffer.allocate((int) (size - offset));
            channel.read(buffer, offset);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The cluster id is stored beside the data so a restart in the same directory joins the same cluster. */
    private static String clusterIdFor(Path dir) throws IOException {
        Path idFile = dir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(idFile, id);
        return id;
    }

    private static Path writeServerProperties(Path dir, Listener listener, int brokerPort, int controllerPort,
            Map<String, String> extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + listener.bindHost() + ":" + brokerPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + advertised(listener, brokerPort));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("kraft-logs").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4"); // the default 50 slows the first consumer group
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // No deletion by time. Retention compares a segment's newest record timestamp with the wall
        // clock, and local runs replay event times from the past (the sample data is from 2024): with
        // the default 7 days, the first retention check (30 s after start) deleted the --input topic
        // under a run still reading it, the consumer reset to the new log start, and the skipped
        // records were lost without a trace. Topics Kafka Streams configures itself (windowed
        // changelogs) keep their own retention.ms.
        p.setProperty("log.retention.ms", "-1");
        extra.forEach(p::setProperty);
        Path file = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "written by Sluice's EmbeddedKafkaBroker; rewritten on every start");
        }
        return file;
    }

    private static Path writeLogConfig(Path dir) throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                // per-partition state changes drown the lines worth reading
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                ""));
        return file;
    }

    private static int[] freePorts(int count) {
        // Hold all sockets open until every port is chosen, so the same port is not handed out twice.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}

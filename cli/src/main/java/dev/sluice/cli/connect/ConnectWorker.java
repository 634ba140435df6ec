package dev.sluice.cli.connect;

import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process Kafka Connect worker (standalone mode) beside the embedded broker: started by
 * {@code sluice run} only when a script has endpoints other than Kafka. Sluice's own connectors
 * and Debezium are on the classpath and found through their ServiceLoader manifests. The REST API
 * listens on 127.0.0.1 on a free port, and connectors are created through it, exactly as
 * {@code sluice connectors} would against a production cluster. Source offsets are kept in
 * {@code connect.offsets} under the state directory, so a restart with the same --data-dir
 * resumes each file and each replication slot where it stopped.
 */
public final class ConnectWorker implements AutoCloseable {
    private final Connect<?> connect;
    private final ConnectRest rest;
    private final Duration startupTime;
    private final Path offsets;
    private volatile boolean forgetOffsets;

    private ConnectWorker(Connect<?> connect, ConnectRest rest, Duration startupTime, Path offsets) {
        this.connect = connect;
        this.rest = rest;
        this.startupTime = startupTime;
        this.offsets = offsets;
    }

    /** At close, delete the source offsets (a run whose replication slots are dropped must not resume from them). */
    public void forgetOffsetsOnClose() {
        forgetOffsets = true;
    }

    public static ConnectWorker start(String bootstrapServers, Path stateDir) {
        long t0 = System.nanoTime();
        int port = freePort();
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("key.converter.schemas.enable", "false");
        p.put("value.converter.schemas.enable", "false");
        p.put("offset.storage.file.filename", stateDir.resolve("connect.offsets").toString());
        p.put("offset.flush.interval.ms", "1000");
        p.put("listeners", "http://127.0.0.1:" + port);
        p.put("rest.advertised.host.name", "127.0.0.1");
        // every plugin on the classpath carries ServiceLoader manifests: skips a ~10 s reflection scan
        p.put("plugin.discovery", "service_load");
        // ${env:NAME} in connector configs: secrets stay in the environment, never in a config
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Connect<?> connect = new ConnectStandalone().startConnect(p);
        ConnectRest rest = new ConnectRest("http://127.0.0.1:" + port);
        rest.awaitUp(Duration.ofSeconds(60));
        return new ConnectWorker(connect, rest, Duration.ofNanos(System.nanoTime() - t0), stateDir.resolve("connect.offsets"));
    }

    public ConnectRest rest() {
        return rest;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        connect.stop(); // stops tasks, which flushes source offsets and commits sink offsets
        connect.awaitStop();
        if (forgetOffsets) {
            try {
                Files.deleteIfExists(offsets);
            } catch (IOException e) {
                // a stale offsets file only makes a later run resume instead of snapshotting
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.sluice.cli.ops;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A pipeline replica in a JVM of its own, so that a test can stop it the way Kubernetes does: with
 * SIGTERM. Arguments: bootstrap servers, application id, input topic, output topic, state dir.
 */
public final class GracefulShutdownChild {
    private GracefulShutdownChild() {
    }

    public static void main(String[] args) throws Exception {
        KafkaStreams streams = OpsServerTest.passThrough(args[0], args[1], args[2], args[3], Path.of(args[4]));
        OpsServer ops = OpsServer.start(0, streams);
        AutoCloseable report = () -> System.out.println("after streams close: state=" + streams.state());
        GracefulShutdown shutdown = GracefulShutdown.install(streams, Duration.ofSeconds(20), ops, report);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("RUNNING");
            }
        });
        streams.start();
        shutdown.awaitShutdown();
    }
}

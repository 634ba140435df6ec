package dev.sluice.cli.ops;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a pipeline in the one order that loses nothing, on SIGTERM, Ctrl-C or a direct call:
 *
 * <ol>
 *   <li>Kafka Streams closes and <em>leaves the consumer group</em>. Under exactly-once the close
 *       commits or aborts the open transaction; leaving the group makes the broker rebalance at once,
 *       so a surviving replica takes the partitions over in seconds (measured here: about 2-4 s)
 *       instead of after {@code session.timeout.ms} (45 s by default) for a member that just vanished.
 *   <li>The ops server, which answered 503 from the moment the state left RUNNING.
 *   <li>Whatever else was handed over, in order; typically the embedded broker, last, because the
 *       close above still talks to it.
 * </ol>
 *
 * The JVM runs shutdown hooks concurrently, so an {@link EmbeddedKafkaBroker} handed over here has its
 * own hook removed: this one stops it, after the clients.
 */
public final class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final java.util.function.Supplier<KafkaStreams> streams;
    private final Duration closeTimeout;
    private final List<AutoCloseable> thenClose;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile Report report;

    /** What the shutdown did: how long the Streams close took and whether it finished within its timeout. */
    public record Report(Duration streamsClose, boolean streamsClosedInTime, Duration total) {
    }

    private GracefulShutdown(java.util.function.Supplier<KafkaStreams> streams, Duration closeTimeout,
                             List<AutoCloseable> thenClose) {
        this.streams = streams;
        this.closeTimeout = closeTimeout;
        this.thenClose = thenClose;
        this.hook = new Thread(this::shutdown, "sluice-graceful-shutdown");
    }

    /**
     * Registers the shutdown hook. {@code closeTimeout} bounds the Streams close; keep it below the
     * platform's grace period (Kubernetes' terminationGracePeriodSeconds, compose's stop_grace_period),
     * or the process is killed mid-close and the group waits out the session timeout after all.
     */
    public static GracefulShutdown install(KafkaStreams streams, Duration closeTimeout, AutoCloseable... thenClose) {
        return install(() -> streams, closeTimeout, thenClose);
    }

    /** {@code streams} is asked for the client to close when the shutdown runs (a run may have replaced it). */
    public static GracefulShutdown install(java.util.function.Supplier<KafkaStreams> streams, Duration closeTimeout,
                                           AutoCloseable... thenClose) {
        for (AutoCloseable c : thenClose) {
            if (c instanceof EmbeddedKafkaBroker broker) {
                broker.removeShutdownHook();
            }
        }
        GracefulShutdown shutdown = new GracefulShutdown(streams, closeTimeout, List.of(thenClose));
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    /** Runs the shutdown now (at most once; later calls wait for the first) and returns what it did. */
    public Report shutdown() {
        if (!started.compareAndSet(false, true)) {
            awaitShutdown();
            return report;
        }
        long begin = System.nanoTime();
        try {
            LOG.info("closing Kafka Streams and leaving the consumer group (timeout {} s)", closeTimeout.toSeconds());
            boolean inTime = streams.get().close(CloseOptions
                    .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(closeTimeout));
            Duration streamsClose = Duration.ofNanos(System.nanoTime() - begin);
            if (!inTime) {
                LOG.warn("Kafka Streams did not close within {} s; continuing the shutdown", closeTimeout.toSeconds());
            }
            for (AutoCloseable c : thenClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    // one failing step must not keep the broker (or anything after it) running
                    LOG.warn("closing {} failed", c, e);
                }
            }
            report = new Report(streamsClose, inTime, Duration.ofNanos(System.nanoTime() - begin));
            LOG.info("stopped: Kafka Streams closed in {} ms, everything in {} ms",
                    report.streamsClose().toMillis(), report.total().toMillis());
            return report;
        } finally {
            done.countDown();
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is starting; it will find the work done
                }
            }
        }
    }

    /** Blocks until a shutdown has finished: the main thread of {@code sluice run} waits here. */
    public void awaitShutdown() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}

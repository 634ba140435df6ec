package dev.sluice.cli.run;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kafka Streams client of one {@code sluice run}, which may be replaced while the run goes on: a
 * client cannot start again once closed, and RESET OFFSET must close it (Kafka moves the offsets of
 * an empty group only), move the offsets, then process again. Everything that serves the run (the
 * query API, the ops endpoint, the status loop, the graceful shutdown) asks here for the client of
 * the moment instead of keeping one.
 */
public final class RunningStreams implements Supplier<KafkaStreams> {
    private final Function<KafkaClientSupplier, KafkaStreams> factory;
    private final SourcePauses pauses = new SourcePauses();
    private volatile KafkaStreams current;
    private volatile boolean restarting;
    private boolean finished;
    private int generation;

    /**
     * {@code factory} makes a new, not yet started client (with its handlers set) from the given clients,
     * whose consumers honour {@link #pauses()}; called once now and once per restart.
     */
    public RunningStreams(Function<KafkaClientSupplier, KafkaStreams> factory) {
        this.factory = factory;
        this.current = factory.apply(pauses.clientSupplier());
    }

    /** The source topics paused in this process (ALTER STREAM ... PAUSE); they stay paused across restarts. */
    public SourcePauses pauses() {
        return pauses;
    }

    @Override
    public KafkaStreams get() {
        return current;
    }

    /** True while a restart has closed one client and not yet started the next: not a stop of the run. */
    public boolean restarting() {
        return restarting;
    }

    /** How many times the client was replaced. */
    public synchronized int restarts() {
        return generation;
    }

    /**
     * Closes the client, leaving the group, runs {@code whileStopped} with it (offsets can move now,
     * and {@link KafkaStreams#cleanUp()} is allowed), then starts a new client of the same topology,
     * even when {@code whileStopped} failed: the run keeps processing either way.
     */
    public synchronized <T> T restart(Duration closeTimeout, Function<KafkaStreams, T> whileStopped) {
        if (finished) {
            throw new IllegalStateException("the application is shutting down");
        }
        restarting = true;
        try {
            KafkaStreams old = current;
            old.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(closeTimeout));
            try {
                return whileStopped.apply(old);
            } finally {
                KafkaStreams next = factory.apply(pauses.clientSupplier());
                current = next;
                generation++;
                next.start();
            }
        } finally {
            restarting = false;
        }
    }

    /** The client to close for good: waits for a restart under way, and allows no later one. */
    public synchronized KafkaStreams finish() {
        finished = true;
        return current;
    }
}

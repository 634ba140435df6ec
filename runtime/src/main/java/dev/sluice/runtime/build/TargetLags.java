package dev.sluice.runtime.build;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dynamic tables of this JVM with their wall-clock target lag: when each last published, how many
 * keys wait, and a refresh request ({@code ALTER DYNAMIC TABLE ... REFRESH}) that the next tick of
 * their punctuators honours. Keyed by the target-lag step's name ({@code <query>-target-lag}).
 */
public final class TargetLags {
    /** One dynamic table's lag state, shared by all its tasks in this JVM. */
    public static final class State {
        private final long lagMs;
        private final AtomicLong refreshRequests = new AtomicLong();
        private final AtomicLong lastRefresh = new AtomicLong();
        private final AtomicLong pending = new AtomicLong();
        private final AtomicLong published = new AtomicLong();

        State(long lagMs) {
            this.lagMs = lagMs;
        }

        public long lagMs() {
            return lagMs;
        }

        /** Epoch millis of the last publish by any task, 0 before the first. */
        public long lastRefreshMillis() {
            return lastRefresh.get();
        }

        /** Keys whose latest update has not been published yet (summed over the tasks of this JVM). */
        public long pendingKeys() {
            return Math.max(0, pending.get());
        }

        public long publishedUpdates() {
            return published.get();
        }

        /** Publishes every waiting update at the next tick (within ~100 ms) instead of at the end of the lag. */
        public void requestRefresh() {
            refreshRequests.incrementAndGet();
        }

        public long refreshRequests() {
            return refreshRequests.get();
        }

        public void keysAdded(long n) {
            pending.addAndGet(n);
        }

        public void publishedNow(long keys, long now) {
            pending.addAndGet(-keys);
            published.addAndGet(keys);
            lastRefresh.accumulateAndGet(now, Math::max);
        }
    }

    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    private TargetLags() {
    }

    public static State register(String stepName, long lagMs) {
        return STATES.computeIfAbsent(stepName, n -> new State(lagMs));
    }

    /** The state of {@code <query>-target-lag}, if a task of it ran in this JVM. */
    public static Optional<State> of(String stepName) {
        return Optional.ofNullable(STATES.get(stepName));
    }

    public static Map<String, State> all() {
        return Map.copyOf(STATES);
    }

    /** Keys waiting in every dynamic table of this JVM. */
    public static long pendingKeys() {
        return STATES.values().stream().mapToLong(State::pendingKeys).sum();
    }

    public static void refreshAll() {
        STATES.values().forEach(State::requestRefresh);
    }
}

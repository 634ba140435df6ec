package dev.sluice.connect.breaker;

import java.util.function.LongSupplier;

/**
 * The state machine of a circuit breaker (seed 001's {@code failure_threshold}, {@code timeout_seconds},
 * {@code success_threshold}): CLOSED counts consecutive failures and opens at the threshold; OPEN lets
 * nothing through until the timeout has passed, then is HALF_OPEN; HALF_OPEN closes after the
 * threshold of consecutive successes and opens again at its first failure. Not thread-safe: one
 * source task polls it.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final int successThreshold;
    private final long timeoutMs;
    private final LongSupplier clock;
    private State state = State.CLOSED;
    private int failures;
    private int successes;
    private long openedAt;
    private long opened;

    public CircuitBreaker(int failureThreshold, int successThreshold, long timeoutMs, LongSupplier clock) {
        if (failureThreshold < 1 || successThreshold < 1 || timeoutMs < 0) {
            throw new IllegalArgumentException("thresholds must be at least 1 and the timeout not negative");
        }
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
        this.timeoutMs = timeoutMs;
        this.clock = clock;
    }

    /** The state now: an OPEN breaker whose timeout has passed is HALF_OPEN. */
    public State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= timeoutMs) {
            state = State.HALF_OPEN;
            successes = 0;
        }
        return state;
    }

    /** Whether a call may go to the primary now. */
    public boolean allowsCall() {
        return state() != State.OPEN;
    }

    /** @return the state after the success */
    public State success() {
        if (state() == State.HALF_OPEN) {
            if (++successes >= successThreshold) {
                state = State.CLOSED;
            }
        }
        failures = 0;
        return state;
    }

    /** @return the state after the failure */
    public State failure() {
        State now = state();
        if (now == State.HALF_OPEN || ++failures >= failureThreshold) {
            state = State.OPEN;
            openedAt = clock.getAsLong();
            opened++;
            failures = 0;
            successes = 0;
        }
        return state;
    }

    /** Consecutive failures while CLOSED. */
    public int failures() {
        return failures;
    }

    /** How many times it opened. */
    public long timesOpened() {
        return opened;
    }
}

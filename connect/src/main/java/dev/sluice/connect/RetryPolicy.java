package dev.sluice.connect;

import java.util.Random;

/**
 * How a connector waits between attempts at a remote call (seed 001's {@code retry_policy},
 * {@code initial_retry_delay_ms}, {@code max_retry_delay_ms}, {@code max_retries},
 * {@code jitter_factor}). Exponential: the n-th retry (n from 1) waits {@code initial * 2^(n-1)},
 * capped at {@code max}; fixed: always {@code initial}. Jitter spreads each wait uniformly over
 * {@code [d * (1 - jitter), d * (1 + jitter)]} (still capped), so many tasks retrying one server do
 * not hit it in step.
 */
public record RetryPolicy(Kind kind, long initialDelayMs, long maxDelayMs, int maxRetries, double jitterFactor) {
    public enum Kind { EXPONENTIAL, FIXED, NONE }

    public RetryPolicy {
        if (initialDelayMs < 0 || maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initial (" + initialDelayMs
                    + ") <= max (" + maxDelayMs + ")");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, not " + maxRetries);
        }
        if (jitterFactor < 0 || jitterFactor > 1) {
            throw new IllegalArgumentException("jitter factor must be within [0, 1], not " + jitterFactor);
        }
    }

    public static Kind kind(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "exponential", "exponential_backoff" -> Kind.EXPONENTIAL;
            case "fixed", "constant" -> Kind.FIXED;
            case "none", "off" -> Kind.NONE;
            default -> throw new IllegalArgumentException("unknown retry policy '" + name
                    + "': exponential, fixed or none");
        };
    }

    /** Retries allowed after the first attempt. */
    public int retries() {
        return kind == Kind.NONE ? 0 : maxRetries;
    }

    /** The wait before retry {@code n} (1-based). */
    public long delayMs(int n, Random random) {
        double base = switch (kind) {
            case NONE -> 0;
            case FIXED -> initialDelayMs;
            case EXPONENTIAL -> Math.min((double) maxDelayMs, initialDelayMs * Math.pow(2, n - 1));
        };
        double spread = jitterFactor == 0 ? 0 : (random.nextDouble() * 2 - 1) * jitterFactor;
        return Math.max(0, Math.min(maxDelayMs, Math.round(base * (1 + spread))));
    }
}

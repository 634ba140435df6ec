package dev.sluice.connect;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 001's retry options: exponential delays, the cap, jitter bounds, and what is retried. */
class RetryPolicyTest {

    @Test
    void exponentialDelaysDoubleFromTheInitialDelayUpToTheCap() {
        RetryPolicy p = new RetryPolicy(RetryPolicy.Kind.EXPONENTIAL, 100, 30_000, 12, 0);
        Random r = new Random(1);
        assertEquals(100, p.delayMs(1, r));
        assertEquals(200, p.delayMs(2, r));
        assertEquals(400, p.delayMs(3, r));
        assertEquals(25_600, p.delayMs(9, r));
        assertEquals(30_000, p.delayMs(10, r), "capped at max_retry_delay_ms");
        assertEquals(30_000, p.delayMs(40, r));
    }

    @Test
    void jitterSpreadsEachDelayWithinItsFactorAndNeverPastTheCap() {
        RetryPolicy p = new RetryPolicy(RetryPolicy.Kind.EXPONENTIAL, 1000, 4000, 5, 0.1);
        Random r = new Random(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = p.delayMs(2, r);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 1800 && min < 1850, "lowest " + min);
        assertTrue(max <= 2200 && max > 2150, "highest " + max);
        for (int i = 0; i < 200; i++) {
            assertTrue(p.delayMs(5, r) <= 4000);
        }
    }

    @Test
    void fixedAndNonePoliciesAndBadSettings() {
        assertEquals(250, new RetryPolicy(RetryPolicy.Kind.FIXED, 250, 1000, 3, 0).delayMs(3, new Random()));
        assertEquals(0, new RetryPolicy(RetryPolicy.Kind.NONE, 250, 1000, 3, 0).retries());
        assertEquals(RetryPolicy.Kind.EXPONENTIAL, RetryPolicy.kind("Exponential"));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.kind("linear"));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(RetryPolicy.Kind.FIXED, 500, 100, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(RetryPolicy.Kind.FIXED, 1, 100, 1, 1.5));
    }

    @Test
    void transientFailuresAreRetriedUntilTheRetriesRunOutAndOthersAreThrownAtOnce() {
        RetryPolicy p = new RetryPolicy(RetryPolicy.Kind.EXPONENTIAL, 1, 2, 2, 0);
        AtomicInteger calls = new AtomicInteger();
        Exception e = assertThrows(IllegalStateException.class, () -> Retries.call(p, "x", ex -> true, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("down");
        }));
        assertEquals(3, calls.get(), "one attempt and two retries");
        assertTrue(e.getSuppressed()[0].getMessage().contains("failed 3 times"));
        calls.set(0);
        assertThrows(IllegalArgumentException.class, () -> Retries.call(p, "x", ex -> ex instanceof IllegalStateException,
                () -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("bad request");
                }));
        assertEquals(1, calls.get(), "a failure that is not transient is not retried");
    }
}

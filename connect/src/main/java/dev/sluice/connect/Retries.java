package dev.sluice.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Random;
import java.util.function.Predicate;

/** Runs a remote call under a {@link RetryPolicy}: transient failures are retried, others thrown at once. */
public final class Retries {
    private static final Logger LOG = LoggerFactory.getLogger(Retries.class);
    private static final Random RANDOM = new Random();

    private Retries() {
    }

    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * The call's result, after at most {@code policy.retries()} retries of failures {@code transient_}
     * accepts. The last failure is thrown when they run out; its message says how many attempts failed.
     */
    public static <T> T call(RetryPolicy policy, String what, Predicate<Exception> transient_, Attempt<T> attempt)
            throws Exception {
        for (int n = 0; ; n++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (!transient_.test(e) || n >= policy.retries()) {
                    if (n > 0) {
                        e.addSuppressed(new RuntimeException(what + " failed " + (n + 1) + " times"));
                    }
                    throw e;
                }
                long delay = policy.delayMs(n + 1, RANDOM);
                LOG.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, n + 1, policy.retries() + 1,
                        delay, e.getMessage());
                Thread.sleep(delay);
            }
        }
    }
}

package dev.sluice.bench;

import java.io.PrintStream;

/** Placeholder until the embedded broker lands; replaced below. */
final class BrokerBench {
    private BrokerBench() {
    }

    static void run(int records, long seed, PrintStream out) {
        out.println("--broker: pending");
    }
}

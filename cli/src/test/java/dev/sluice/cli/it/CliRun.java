package dev.sluice.cli.it;

import dev.sluice.cli.SluiceMain;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One {@code sluice} command run in the test's JVM: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    /**
     * Runs {@code sluice ARGS} with {@code System.out} and {@code System.err} captured (the in-process
     * Connect worker and Kafka Streams print there too). They are global, so one run at a time.
     */
    static synchronized CliRun sluice(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SluiceMain.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}

package dev.sluice.cli.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Entry point of the child JVM that {@link EmbeddedKafkaBroker} starts: formats the storage (a no-op
 * when the data directory was formatted by an earlier run, so state survives restarts) and then runs
 * the broker with {@code kafka.Kafka}, which blocks until the process is told to stop.
 *
 * <p>Formatting here rather than in the parent keeps the broker's Scala and server classes out of
 * the application's heap and costs no second JVM start.
 *
 * <p>The parent keeps our standard input open as a pipe. When the parent dies without stopping us
 * (kill -9, a crashed test JVM) the pipe closes and we exit, so no orphan broker keeps its ports.
 */
public final class BrokerProcessMain {
    private BrokerProcessMain() {
    }

    /** Arguments: {@code <server.properties> <cluster-id>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BrokerProcessMain <server.properties> <cluster-id>");
            System.exit(64);
        }
        String properties = args[0];
        String clusterId = args[1];
        exitWhenParentGoes(System.in);

        PrintStream out = System.out;
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "--cluster-id", clusterId, "--config", properties, "--ignore-formatted"}, out);
        if (formatted != 0) {
            System.err.println("StorageTool format failed with exit code " + formatted);
            System.exit(70);
        }
        kafka.Kafka.main(new String[] {properties});
    }

    private static void exitWhenParentGoes(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            try {
                while (parentPipe.read() != -1) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of stream
            }
            System.err.println("parent process went away; stopping the broker");
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}

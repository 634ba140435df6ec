package dev.sluice.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code sluice broker} as a child process, on one port for its whole life so that clients find it
 * again after a restart, and with one data directory, which a restart reuses (topics, offsets,
 * transactions and the cluster id survive). {@link #kill()} SIGKILLs the broker JVM itself (the
 * command's child), not only the command that started it.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process command;

    BrokerProcess(Path workDir) {
        this.dataDir = workDir.resolve("broker");
        this.log = workDir.resolve("broker-command.log");
        this.port = freePort();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    void start(Duration timeout) {
        Path stdout = dataDir.resolveSibling("broker-command.out");
        try {
            Files.deleteIfExists(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command = ChildJvm.start("128m", List.of("broker", "--data-dir", dataDir.toString(), "--listen",
                bootstrapServers(), "--max-heap", "768m"), ProcessBuilder.Redirect.to(stdout.toFile()), log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Files.exists(stdout) && Files.readString(stdout).contains(bootstrapServers())) {
                    return;
                }
            } catch (IOException ignored) {
                // not written yet
            }
            if (!command.isAlive()) {
                throw new IllegalStateException("sluice broker exited with " + command.exitValue() + "; see " + log
                        + " and " + dataDir.resolve("server.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sluice broker did not start within " + timeout.toSeconds() + " s; see " + log);
            }
            sleep(100);
        }
    }

    /**
     * SIGKILL of the broker JVM (no controlled shutdown, no flush), then of the command that watched it.
     * The broker first: killing the command first closes the broker's stdin, on which it shuts down in
     * order. (Its command line is not matched: Linux may not report a command line this long.)
     */
    void kill() {
        List<ProcessHandle> brokers = command.descendants().toList();
        if (brokers.isEmpty()) {
            throw new IllegalStateException("sluice broker has no broker process to kill");
        }
        brokers.forEach(ChildJvm::kill);
        ChildJvm.kill(command.toHandle());
    }

    @Override
    public void close() {
        if (command != null && command.isAlive()) {
            List<ProcessHandle> brokers = command.descendants().toList();
            command.destroy(); // SIGTERM: the command stops its broker in order
            try {
                if (!command.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    command.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            brokers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

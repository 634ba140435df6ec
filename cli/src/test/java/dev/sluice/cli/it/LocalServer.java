package dev.sluice.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A real server the tests start as a local process: it lives in a temporary directory, listens on
 * a free port of 127.0.0.1 and writes its output to a log file there. This class waits for it to
 * answer (and stops it, showing the log, when it does not), and stops it and removes the
 * directory on {@link #close()}.
 */
public abstract class LocalServer implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    /** One attempt to reach the server: true when it answers as a ready server does. */
    @FunctionalInterface
    interface ReadyProbe {
        boolean ready() throws Exception;
    }

    protected final Path dir;
    protected final int port;
    protected final Process process;
    private final Path log;

    protected LocalServer(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    public int port() {
        return port;
    }

    /**
     * Polls {@code probe} every 100 ms until it says ready; when the process exits or 30 s pass,
     * stops the server and fails with the probe's last error and the server's log.
     */
    protected final void awaitReady(String name, ReadyProbe probe) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            Exception lastError = null;
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                lastError = e; // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = readLog();
                close();
                throw new IllegalStateException(name + " did not start"
                        + (lastError == null ? "" : ": " + lastError.getMessage()) + "\n" + output);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Asks the server to stop; {@link #close()} then waits for it and kills it when it does not. */
    protected void requestStop() {
        process.destroy();
    }

    @Override
    public final void close() {
        requestStop();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** A port free on 127.0.0.1 now (the server binds it a moment later). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

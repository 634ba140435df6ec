package dev.sluice.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An S3-compatible server for the S3 connector tests: npm's {@code s3rver} 3.7.1 (Node is on the
 * machine; s3mock, the Java alternative, takes ~20 s to start against s3rver's ~1 s). It is
 * installed once under {@code ~/.cache/sluice/s3rver} ({@code .ci/run} does it first; this class
 * does it when missing). It speaks the S3 REST API with path-style addressing and accepts only
 * the access key and secret {@code S3RVER}. It stores an aws-chunked body verbatim, which is why the
 * S3 connectors sign whole payloads.
 */
public final class S3Server extends LocalServer {
    public static final String KEY = "S3RVER";
    private static final Path HOME = Path.of(System.getProperty("user.home"), ".cache", "sluice", "s3rver");
    private static final Path SCRIPT = HOME.resolve("node_modules/s3rver/bin/s3rver.js");
    private static S3Server shared;

    private S3Server(Path dir, int port, Process process) {
        super(dir, port, process, dir.resolve("s3rver.log"));
    }

    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "s3rver-stop"));
        }
        return shared;
    }

    private static void install() throws IOException, InterruptedException {
        if (Files.exists(SCRIPT)) {
            return;
        }
        Files.createDirectories(HOME);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", HOME.toString(),
                "s3rver@3.7.1").redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes());
        if (npm.waitFor() != 0 || !Files.exists(SCRIPT)) {
            throw new IllegalStateException("npm install s3rver@3.7.1 failed:\n" + output);
        }
    }

    public static S3Server start() {
        try {
            install();
            Path dir = Files.createTempDirectory("sluice-s3-");
            int port = freePort();
            Process p = new ProcessBuilder(List.of("node", SCRIPT.toString(), "--address", "127.0.0.1", "--port",
                    Integer.toString(port), "--directory", dir.toString(), "--silent"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3rver.log").toFile()).start();
            S3Server server = new S3Server(dir, port, p);
            server.awaitReady("s3rver", server::acceptsConnections);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private boolean acceptsConnections() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
    }
}

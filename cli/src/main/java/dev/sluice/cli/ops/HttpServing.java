package dev.sluice.cli.ops;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every Sluice HTTP endpoint shares (the ops endpoint and the query API): binding on the JDK's
 * server, optional TLS from a PKCS12 key store, optional basic auth, a daemon thread pool, and
 * writing a response. One place, so that both endpoints are secured the same way.
 */
public final class HttpServing {
    /** user and password for basic auth; compared in constant time, never printed. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }
    }

    /** A PKCS12 key store holding the server's key and certificate; it also serves as trust store for peers. */
    public record Tls(Path keyStore, String password) {
        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", password=***]";
        }

        public SSLContext context() {
            try (InputStream in = Files.newInputStream(keyStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password.toCharArray());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
                return context;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the TLS key store " + keyStore + ": " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot use the TLS key store " + keyStore + ": " + e.getMessage(), e);
            }
        }
    }

    /** A bound, not yet started server with its worker pool. */
    public record Bound(HttpServer server, ExecutorService executor) {
        public int port() {
            return server.getAddress().getPort();
        }

        public void start() {
            server.setExecutor(executor);
            server.start();
        }

        public void stop() {
            stop(0);
        }

        /** Stops accepting, lets exchanges under way finish for up to {@code seconds}, then stops. */
        public void stop(int seconds) {
            server.stop(seconds);
            executor.shutdownNow();
        }
    }

    private HttpServing() {
    }

    public static Bound bind(InetSocketAddress address, Optional<Tls> tls, int threads, String threadPrefix, String portOption) {
        if (address.getPort() < 0 || address.getPort() > 65535) {
            throw new IllegalArgumentException(portOption + " must be between 0 and 65535, got " + address.getPort());
        }
        HttpServer server;
        try {
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.get().context()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " (is the port in use? " + portOption
                    + " 0 picks a free one)", e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadPrefix + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new Bound(server, executor);
    }

    /** Requires basic auth on {@code context} when credentials are configured; a wrong or missing one gets 401. */
    public static void protect(HttpContext context, Optional<Credentials> credentials) {
        credentials.ifPresent(c -> context.setAuthenticator(new BasicAuthenticator("sluice") {
            @Override
            public boolean checkCredentials(String user, String password) {
                return constantTimeEquals(user, c.user()) & constantTimeEquals(password, c.password());
            }
        }));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a whole response (HEAD: headers only) and closes the exchange. */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        }
    }
}

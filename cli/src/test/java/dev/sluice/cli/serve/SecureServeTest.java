package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every listener of {@code sluice run} secured as a user would secure it, checked with real requests:
 * HTTPS from a PKCS12 key store made here with the JDK's keytool, basic auth from {@code ${ENV}} and
 * from a file, on the query API and the ops endpoint; {@code sluice query} over HTTPS with a trust
 * store; and no secret in anything the processes wrote (stdout, stderr, every INFO log line).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SecureServeTest {
    private static final Duration STARTUP = Duration.ofSeconds(180);

    @Test
    void httpsAndBasicAuthGuardTheQueryApiAndTheOpsEndpointAndNoSecretIsEverPrinted(EmbeddedKafkaBroker broker,
            @TempDir Path dir) throws Exception {
        String httpPassword = "pw-" + UUID.randomUUID();
        String keyStorePassword = "ks-" + UUID.randomUUID();
        String trustPassword = "ts-" + UUID.randomUUID();
        String filePassword = "file-" + UUID.randomUUID();
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "sluice", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", keyStorePassword);
        keytool("-exportcert", "-alias", "sluice", "-keystore", keyStore.toString(), "-storepass", keyStorePassword,
                "-file", dir.resolve("server.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "sluice", "-file", dir.resolve("server.crt").toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", trustPassword);

        String tlsApp = KafkaBrokerExtension.uniqueName("secure-tls");
        String fileApp = KafkaBrokerExtension.uniqueName("secure-file");
        Path tlsScript = script(dir, broker, tlsApp);
        Path fileScript = script(dir, broker, fileApp);
        Path authFile = dir.resolve("auth.txt");
        Files.writeString(authFile, "reader:" + filePassword + "\n");
        Map<String, String> env = Map.of("SLUICE_TEST_HTTP_PASSWORD", httpPassword,
                "SLUICE_TEST_KEYSTORE_PASSWORD", keyStorePassword, "SLUICE_TEST_TRUST_PASSWORD", trustPassword);

        try (SluiceProcess tls = SluiceProcess.start(dir, "tls", env, "run", tlsScript.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--create-topics", "--format", "jsonl",
                "--http-port", "0", "--ops-port", "0",
                "--http-auth", "admin:${SLUICE_TEST_HTTP_PASSWORD}",
                "--http-tls-keystore", keyStore.toString(), "--http-tls-password", "${SLUICE_TEST_KEYSTORE_PASSWORD}");
             SluiceProcess plain = SluiceProcess.start(dir, "file", Map.of(), "run", fileScript.toString(),
                     "--bootstrap-servers", broker.bootstrapServers(), "--create-topics", "--format", "jsonl",
                     "--http-port", "0", "--ops-port", "0", "--http-auth-file", authFile.toString())) {
            Matcher api = tls.await("query API and console on (https?)://127\\.0\\.0\\.1:(\\d+)/", STARTUP);
            Matcher opsLine = tls.await("ops endpoint on (https?)://127\\.0\\.0\\.1:(\\d+)/", STARTUP);
            assertEquals("https", api.group(1));
            assertEquals("https", opsLine.group(1), "the ops endpoint uses the run's TLS too");
            int apiPort = Integer.parseInt(api.group(2));
            int opsPort = Integer.parseInt(opsLine.group(2));
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(trustStore, trustPassword))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String api443 = "https://127.0.0.1:" + apiPort;
            String show = "{\"ksql\": \"SHOW QUERIES;\"}";

            // the query API: 401 without or with wrong credentials, 200 with the right ones
            assertEquals(401, post(trusting, api443 + "/ksql", show, null).statusCode());
            assertEquals(401, post(trusting, api443 + "/ksql", show, "admin:wrong").statusCode());
            assertEquals(401, post(trusting, api443 + "/ksql", show, "intruder:" + httpPassword).statusCode());
            assertEquals(401, post(trusting, api443 + "/query-stream", "{\"sql\": \"SELECT * FROM counts\"}", null).statusCode());
            HttpResponse<String> ok = post(trusting, api443 + "/ksql", show, "admin:" + httpPassword);
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"queries\""), ok.body());
            assertEquals(401, get(trusting, api443 + "/", null).statusCode(), "the console is protected too");

            // plain HTTP to the TLS port gets no answer; a client that does not trust the certificate refuses it
            HttpClient plainClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> post(plainClient, "http://127.0.0.1:" + apiPort + "/ksql", show,
                    "admin:" + httpPassword));
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> post(plainClient, api443 + "/ksql", show,
                    "admin:" + httpPassword));

            // the ops endpoint: probes open (they carry no credentials), /metrics behind basic auth, HTTPS only
            String ops443 = "https://127.0.0.1:" + opsPort;
            int health = get(trusting, ops443 + "/health", null).statusCode();
            assertTrue(health == 200 || health == 503, "a probe answers without credentials: " + health);
            assertEquals(401, get(trusting, ops443 + "/metrics", null).statusCode());
            assertEquals(401, get(trusting, ops443 + "/metrics", "admin:wrong").statusCode());
            assertEquals(401, get(trusting, ops443 + "/anything", null).statusCode());
            HttpResponse<String> metrics = get(trusting, ops443 + "/metrics", "admin:" + httpPassword);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("# TYPE"), "Prometheus text");
            assertThrows(IOException.class, () -> get(plainClient, "http://127.0.0.1:" + opsPort + "/health", null));

            // rows flow, and sluice query reads them over HTTPS with the trust store and ${ENV} credentials
            produce(broker, tlsApp + "-in", "u1", "u1", "u2");
            waitUntil(() -> pullRows(trusting, api443, "admin:" + httpPassword).contains("[\"u1\",2]"), "u1's count served");
            String[] queryArgs = {"query", "--server", api443, "--user", "admin:${SLUICE_TEST_HTTP_PASSWORD}",
                    "--tls-truststore", trustStore.toString(), "--tls-truststore-password", "${SLUICE_TEST_TRUST_PASSWORD}",
                    "--format", "jsonl", "SELECT user_id, n FROM counts WHERE user_id = 'u1'"};
            SluiceProcess query = SluiceProcess.start(dir, "query", env, queryArgs);
            assertEquals(0, query.waitFor(STARTUP), query.output());
            assertTrue(query.output().contains("{\"user_id\":\"u1\",\"n\":2}"), query.output());
            SluiceProcess untrusted = SluiceProcess.start(dir, "query-untrusted", env, "query", "--server", api443,
                    "--user", "admin:${SLUICE_TEST_HTTP_PASSWORD}", "SHOW QUERIES");
            assertTrue(untrusted.waitFor(STARTUP) != 0, "no trust store: the self-signed certificate is refused");
            SluiceProcess wrongUser = SluiceProcess.start(dir, "query-wrong", env, "query", "--server", api443,
                    "--user", "admin:nope", "--tls-truststore", trustStore.toString(),
                    "--tls-truststore-password", "${SLUICE_TEST_TRUST_PASSWORD}", "SHOW QUERIES");
            assertEquals(64, wrongUser.waitFor(STARTUP), "401 is a usage error: " + wrongUser.output());

            // credentials from a file, plain HTTP: the same rules
            Matcher plainApi = plain.await("query API and console on (https?)://127\\.0\\.0\\.1:(\\d+)/", STARTUP);
            Matcher plainOps = plain.await("ops endpoint on (https?)://127\\.0\\.0\\.1:(\\d+)/", STARTUP);
            assertEquals("http", plainApi.group(1));
            String api80 = "http://127.0.0.1:" + plainApi.group(2);
            assertEquals(401, post(plainClient, api80 + "/ksql", show, null).statusCode());
            assertEquals(401, post(plainClient, api80 + "/ksql", show, "reader:" + httpPassword).statusCode());
            assertEquals(200, post(plainClient, api80 + "/ksql", show, "reader:" + filePassword).statusCode());
            String ops80 = "http://127.0.0.1:" + plainOps.group(2);
            assertEquals(401, get(plainClient, ops80 + "/metrics", null).statusCode());
            assertEquals(200, get(plainClient, ops80 + "/metrics", "reader:" + filePassword).statusCode());

            tls.stop();
            plain.stop();
            for (SluiceProcess p : List.of(tls, plain, query, untrusted, wrongUser)) {
                String out = p.output();
                for (String secret : List.of(httpPassword, keyStorePassword, trustPassword, filePassword)) {
                    assertFalse(out.contains(secret), "a secret in " + p.output.getFileName() + ":\n" + out);
                }
            }
            assertTrue(tls.output().contains("StreamsConfig values") && plain.output().contains("StreamsConfig values"),
                    "Kafka's own INFO logs were captured too");
        }
    }

    private static Path script(Path dir, EmbeddedKafkaBroker broker, String app) throws Exception {
        broker.createTopic(app + "-in", 1);
        broker.createTopic(app + "-counts", 1);
        Path file = dir.resolve(app + ".sql");
        Files.writeString(file, "CREATE STREAM clicks (user_id VARCHAR) WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "CREATE TABLE counts WITH ('topic' = '" + app + "-counts', 'format' = 'json') AS\n"
                + "SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;\n");
        return file;
    }

    private static String pullRows(HttpClient client, String base, String user) {
        try {
            HttpResponse<String> r = post(client, base + "/query-stream", "{\"sql\": \"SELECT user_id, n FROM counts\"}", user);
            return r.statusCode() == 200 ? r.body().replace(" ", "") : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpResponse<String> post(HttpClient client, String url, String body, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return send(client, b, user);
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user) throws Exception {
        return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET(), user);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b, String user) throws Exception {
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path trustStore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + args[0] + ": " + out);
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, String... users) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (String u : users) {
                producer.send(new ProducerRecord<>(topic, null, "{\"user_id\":\"" + u + "\"}")).get();
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}

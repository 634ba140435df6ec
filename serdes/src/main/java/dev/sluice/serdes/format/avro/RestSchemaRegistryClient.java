package dev.sluice.serdes.format.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema Registry over the Confluent REST API with {@link HttpClient} and Jackson. Several URLs may be
 * given comma-separated; a connection failure moves on to the next. Basic auth comes from
 * {@code basic.auth.user.info} ({@code user:password}) or the URL's user info; TLS uses the JVM's trust
 * store unless {@code schema.registry.ssl.truststore.location} names another.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Credentials and TLS material; passwords are kept out of {@link #toString()}. */
    public record Settings(String basicAuthUserInfo, String truststoreLocation, String truststorePassword,
                           String truststoreType, String keystoreLocation, String keystorePassword, String keyPassword) {
        public static final Settings NONE = new Settings(null, null, null, null, null, null, null);

        public static Settings from(FormatOptions o) {
            return new Settings(
                    OptionKeys.find(o, "basic.auth.user.info", "schema.registry.basic.auth.user.info",
                            "schema_registry_basic_auth", "schema_registry_basic_auth_user_info").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.truststore.location", "schema_registry_ssl_truststore_location").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.truststore.password", "schema_registry_ssl_truststore_password").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.truststore.type", "schema_registry_ssl_truststore_type").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.keystore.location", "schema_registry_ssl_keystore_location").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.keystore.password", "schema_registry_ssl_keystore_password").orElse(null),
                    OptionKeys.find(o, "schema.registry.ssl.key.password", "schema_registry_ssl_key_password").orElse(null));
        }

        @Override
        public String toString() {
            return "Settings[basicAuth=" + (basicAuthUserInfo != null) + ", truststore=" + truststoreLocation
                    + ", keystore=" + keystoreLocation + "]";
        }
    }

    private final String urlText;
    private final List<String> baseUrls = new ArrayList<>();
    private final String authorization;
    private final HttpClient http;
    private final Map<Integer, org.apache.avro.Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, TextSchema> textsById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(String urls, Settings settings) {
        this.urlText = urls;
        String userInfo = settings.basicAuthUserInfo();
        for (String raw : urls.split(",")) {
            URI uri = URI.create(raw.trim());
            if (uri.getUserInfo() != null && userInfo == null) {
                userInfo = uri.getUserInfo();
            }
            String base = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
            baseUrls.add(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        }
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (settings.truststoreLocation() != null || settings.keystoreLocation() != null) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
    }

    @Override
    public int register(String subject, org.apache.avro.Schema schema) {
        String text = schema.toString();
        Integer known = idsBySubjectAndSchema.get(subject + "\n" + text);
        if (known != null) {
            return known;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode reply = call("POST", "/subjects/" + encode(subject) + "/versions", body,
                "registering a schema under subject " + subject);
        int id = reply.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry at " + urlText + " answered registration without an id: " + reply, -1);
        }
        schemasById.putIfAbsent(id, schema);
        idsBySubjectAndSchema.put(subject + "\n" + text, id);
        return id;
    }

    @Override
    public org.apache.avro.Schema schemaById(int id) {
        org.apache.avro.Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
        org.apache.avro.Schema schema = parse(reply, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The registry's answer for a subject's latest version, or empty when the subject does not exist. */
    private Optional<JsonNode> latestVersion(String subject) {
        try {
            return Optional.of(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                    "fetching the latest schema of subject " + subject));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<RegisteredSchema> latestSchema(String subject) {
        Optional<JsonNode> latest = latestVersion(subject);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        JsonNode reply = latest.get();
        org.apache.avro.Schema schema = parse(reply, "subject " + subject);
        int id = reply.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return Optional.of(new RegisteredSchema(subject, reply.path("version").asInt(), id, schema));
    }

    @Override
    public int register(String subject, TextSchema schema) {
        if (!schema.references().isEmpty()) {
            throw new IllegalArgumentException("Sluice registers only schemas without references; register "
                    + subject + "'s schema and its imports with the registry's own tools");
        }
        String key = subject + "\n" + schema.type() + "\n" + schema.text();
        Integer known = idsBySubjectAndSchema.get(key);
        if (known != null) {
            return known;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.text(), "schemaType", schema.type()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode reply = call("POST", "/subjects/" + encode(subject) + "/versions", body,
                "registering a " + schema.type() + " schema under subject " + subject);
        int id = reply.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry at " + urlText + " answered registration without an id: " + reply, -1);
        }
        textsById.putIfAbsent(id, schema);
        idsBySubjectAndSchema.put(key, id);
        return id;
    }

    @Override
    public TextSchema textSchemaById(int id) {
        TextSchema cached = textsById.get(id);
        if (cached != null) {
            return cached;
        }
        TextSchema schema = text(call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id));
        textsById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public Optional<TextSchema.Registered> latestTextSchema(String subject) {
        Optional<JsonNode> latest = latestVersion(subject);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        JsonNode reply = latest.get();
        TextSchema schema = text(reply);
        int id = reply.path("id").asInt();
        textsById.putIfAbsent(id, schema);
        return Optional.of(new TextSchema.Registered(subject, reply.path("version").asInt(), id, schema));
    }

    /** A reply's schema with the texts of its references, fetched by subject and version (and theirs, in turn). */
    private TextSchema text(JsonNode reply) {
        Map<String, String> references = new java.util.LinkedHashMap<>();
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
        reply.path("references").forEach(todo::add);
        while (!todo.isEmpty()) {
            JsonNode ref = todo.poll();
            String name = ref.path("name").asText();
            if (references.containsKey(name)) {
                continue;
            }
            JsonNode r = call("GET", "/subjects/" + encode(ref.path("subject").asText()) + "/versions/"
                    + ref.path("version").asText("latest"), null, "fetching reference " + name);
            references.put(name, r.path("schema").asText());
            r.path("references").forEach(todo::add);
        }
        return new TextSchema(reply.path("schemaType").asText("AVRO"), reply.path("schema").asText(), references);
    }

    @Override
    public String url() {
        return urlText;
    }

    private org.apache.avro.Schema parse(JsonNode reply, String what) {
        String type = reply.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException(what + " in the registry at " + urlText + " is a " + type
                    + " schema, not Avro", -1);
        }
        try {
            return new org.apache.avro.Schema.Parser().parse(reply.path("schema").asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(what + " in the registry at " + urlText + " is not a valid Avro schema: "
                    + e.getMessage(), -1);
        }
    }

    private JsonNode call(String method, String path, String body, String doing) {
        IOException lastFailure = null;
        for (String base : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", ACCEPT);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while " + doing, -1);
            }
            JsonNode reply = readJson(response.body());
            if (response.statusCode() / 100 == 2) {
                return reply;
            }
            int code = reply.path("error_code").asInt(response.statusCode());
            String message = reply.path("message").asText(response.body());
            throw new SchemaRegistryException("Schema Registry at " + base + " refused " + doing + ": " + message
                    + " (HTTP " + response.statusCode() + ", error " + code + ")", code);
        }
        throw new SchemaRegistryException("Schema Registry at " + urlText + " unreachable while " + doing + ": " + lastFailure, -1);
    }

    private static JsonNode readJson(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(Settings s) {
        try {
            TrustManagerFactory tmf = null;
            if (s.truststoreLocation() != null) {
                KeyStore trust = load(s.truststoreLocation(), s.truststorePassword(), s.truststoreType());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (s.keystoreLocation() != null) {
                KeyStore keys = load(s.keystoreLocation(), s.keystorePassword(), null);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = s.keyPassword() != null ? s.keyPassword() : s.keystorePassword();
                kmf.init(keys, keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the Schema Registry TLS stores: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String password, String type) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type != null ? type : KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}

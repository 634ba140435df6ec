package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few Schema Registry calls Sluice needs, over the Confluent REST API (which Confluent's registry,
 * Apicurio's {@code /apis/ccompat/v7} and Redpanda all serve). Implementations cache by id, since
 * every Avro record names its writer schema's id.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, org.apache.avro.Schema schema);

    /** The writer schema with this id; cached. */
    org.apache.avro.Schema schemaById(int id);

    /** The newest schema of {@code subject}, or empty when the subject does not exist. */
    Optional<RegisteredSchema> latestSchema(String subject);

    /**
     * Registers a schema of another type (PROTOBUF) under {@code subject} (idempotent) and returns its
     * id. Its references must already be registered, under subjects named as they are imported.
     */
    int register(String subject, TextSchema schema);

    /** The schema with this id, of any type but Avro, with the texts of its references; cached. */
    TextSchema textSchemaById(int id);

    /** The newest schema of {@code subject} when it is not Avro, or empty when the subject does not exist. */
    Optional<TextSchema.Registered> latestTextSchema(String subject);

    /** Where this client talks to, for messages. */
    String url();

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Option keys naming the registry, in the spellings users write. */
    String[] URL_KEYS = {"schema_registry_url", "schema.registry.url", "value.avro-confluent.url", "avro-confluent.url",
            "avro-confluent.schema-registry.url"};

    /**
     * The client for the registry named in {@code options}: {@code mock://scope} is an in-memory
     * registry shared by everything that names the same scope (for tests); anything else is a REST
     * client, shared per URL and credentials so the id cache is too.
     */
    static SchemaRegistryClient fromOptions(FormatOptions options) {
        String url = OptionKeys.find(options, URL_KEYS).orElseThrow(() -> new IllegalArgumentException(
                "format 'avro' needs the Schema Registry: add schema_registry_url = 'http://host:8081' to WITH (...)"));
        return forUrl(url.trim(), RestSchemaRegistryClient.Settings.from(options));
    }

    static SchemaRegistryClient forUrl(String url, RestSchemaRegistryClient.Settings settings) {
        if (url.startsWith("mock://")) {
            return MockSchemaRegistry.scope(url.substring("mock://".length()));
        }
        return Shared.CLIENTS.computeIfAbsent(java.util.List.of(url, settings), k -> new RestSchemaRegistryClient(url, settings));
    }

    /** Holder for the shared clients (interfaces cannot have private static fields). */
    final class Shared {
        private static final Map<java.util.List<Object>, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

        private Shared() {
        }
    }
}

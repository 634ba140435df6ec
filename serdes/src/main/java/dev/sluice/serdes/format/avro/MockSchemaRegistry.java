package dev.sluice.serdes.format.avro;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory registry for tests ({@code schema_registry_url = 'mock://scope'}). Like the real one,
 * ids are global, the same schema gets the same id under every subject, and Avro and other schema
 * types (PROTOBUF) share one id space.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {
    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    /** An {@link org.apache.avro.Schema} or a {@link TextSchema}. */
    private final Map<Integer, Object> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    private MockSchemaRegistry(String scope) {
        this.scope = scope;
    }

    public static MockSchemaRegistry scope(String name) {
        return SCOPES.computeIfAbsent(name, MockSchemaRegistry::new);
    }

    /** Forgets a scope, so a test can start from an empty registry. */
    public static void drop(String name) {
        SCOPES.remove(name);
    }

    @Override
    public synchronized int register(String subject, org.apache.avro.Schema schema) {
        return add(subject, "AVRO\n" + schema, schema, -1);
    }

    @Override
    public synchronized int register(String subject, TextSchema schema) {
        return add(subject, schema.type() + "\n" + schema.text() + "\n" + schema.references(), schema, -1);
    }

    /** An Avro schema under a chosen id (ksqlDB's QTT runner numbers the schemas it registers). */
    public synchronized int register(String subject, org.apache.avro.Schema schema, int id) {
        return add(subject, "AVRO\n" + schema, schema, id);
    }

    /** Registers under a chosen id, as a test that names ids does (ksqlDB's {@code valueSchemaId}). */
    public synchronized int register(String subject, TextSchema schema, int id) {
        return add(subject, schema.type() + "\n" + schema.text() + "\n" + schema.references(), schema, id);
    }

    private int add(String subject, String key, Object schema, int wantedId) {
        Integer known = idsBySchema.get(key);
        int id;
        if (known != null && (wantedId < 0 || known == wantedId)) {
            id = known;
        } else {
            id = wantedId >= 0 ? wantedId : nextId();
            schemasById.put(id, schema);
            idsBySchema.put(key, id);
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    private int nextId() {
        int next = schemasById.size() + 1;
        while (schemasById.containsKey(next)) {
            next++;
        }
        return next;
    }

    @Override
    public synchronized org.apache.avro.Schema schemaById(int id) {
        Object s = found(id);
        if (s instanceof org.apache.avro.Schema avro) {
            return avro;
        }
        throw new SchemaRegistryException("schema id " + id + " in the registry at " + url() + " is a "
                + ((TextSchema) s).type() + " schema, not Avro", -1);
    }

    @Override
    public synchronized TextSchema textSchemaById(int id) {
        Object s = found(id);
        if (s instanceof TextSchema t) {
            return t;
        }
        return new TextSchema("AVRO", s.toString(), Map.of());
    }

    private Object found(int id) {
        Object s = schemasById.get(id);
        if (s == null) {
            throw new SchemaRegistryException("schema id " + id + " not found in the registry at " + url(), 40403);
        }
        return s;
    }

    @Override
    public synchronized Optional<RegisteredSchema> latestSchema(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new RegisteredSchema(subject, versions.size(), id, schemaById(id)));
    }

    @Override
    public synchronized Optional<TextSchema.Registered> latestTextSchema(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new TextSchema.Registered(subject, versions.size(), id, textSchemaById(id)));
    }

    @Override
    public String url() {
        return "mock://" + scope;
    }
}

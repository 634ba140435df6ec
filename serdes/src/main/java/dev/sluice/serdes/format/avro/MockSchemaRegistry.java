package dev.sluice.serdes.format.avro;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory registry for tests ({@code schema_registry_url = 'mock://scope'}). Like the real one,
 * ids are global and the same schema gets the same id under every subject.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {
    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, org.apache.avro.Schema> schemasById = new HashMap<>();
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
        int id = idsBySchema.computeIfAbsent(schema.toString(), s -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, schema);
            return next;
        });
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized org.apache.avro.Schema schemaById(int id) {
        org.apache.avro.Schema s = schemasById.get(id);
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
        return Optional.of(new RegisteredSchema(subject, versions.size(), id, schemasById.get(id)));
    }

    @Override
    public String url() {
        return "mock://" + scope;
    }
}

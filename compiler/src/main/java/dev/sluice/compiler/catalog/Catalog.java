package dev.sluice.compiler.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sources a script has declared so far, by case-insensitive name. Qualified names
 * ({@code db.schema.name}) are registered under their last part too, so a script can refer to
 * {@code FLAKEBENCH.TEST_RESULTS.TEST_RESULTS} or {@code TEST_RESULTS}.
 */
public final class Catalog {
    private final Map<String, SourceDefinition> sources = new LinkedHashMap<>();
    private final Dialect dialect;

    public Catalog() {
        this(Dialect.FLINK);
    }

    public Catalog(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The dialect of the script being compiled: whose results its queries get. */
    public Dialect dialect() {
        return dialect;
    }

    /** Without {@code SET 'table.exec.state.ttl'}: kept for good (as Flink's default, 0 = never expire). */
    private long stateTtlMs = 0;

    /**
     * {@code SET 'table.exec.state.ttl'}: how long a regular join keeps a row waiting for a match
     * (0: forever). Set by the statement, read by the joins planned after it.
     */
    public void stateTtlMs(long ttlMs) {
        this.stateTtlMs = ttlMs;
    }

    public long stateTtlMs() {
        return stateTtlMs;
    }

    /**
     * ksqlDB's {@code SET 'ksql.functions.collect_list.limit'} / {@code 'ksql.functions.collect_set.limit'}:
     * at most this many elements in COLLECT_LIST / COLLECT_SET results, by function name (upper case).
     * Set by the statement, read by the aggregations planned after it.
     */
    private final Map<String, Long> collectionLimits = new LinkedHashMap<>();

    public void collectionLimit(String function, long limit) {
        collectionLimits.put(function.toUpperCase(java.util.Locale.ROOT), limit);
    }

    public Map<String, Long> collectionLimits() {
        return Map.copyOf(collectionLimits);
    }

    /** CHECK constraints by source (ALTER STREAM ... ADD CONSTRAINT), enforced on every record read. */
    private final Map<String, List<CheckConstraint>> checks = new LinkedHashMap<>();

    public void addCheck(String source, CheckConstraint check) {
        checks.computeIfAbsent(key(source), k -> new ArrayList<>()).add(check);
    }

    /** A redeclared source (CREATE OR REPLACE) starts without the old declaration's constraints and defaults. */
    public void clearChecks(String source) {
        checks.remove(key(source));
        defaults.remove(key(source));
    }

    /** Column DEFAULTs by source: the value a record gets for a column it does not carry (or carries as NULL). */
    private final Map<String, Map<String, dev.sluice.grammar.ast.Expression>> defaults = new LinkedHashMap<>();

    public void addDefault(String source, String column, dev.sluice.grammar.ast.Expression value) {
        defaults.computeIfAbsent(key(source), k -> new LinkedHashMap<>()).put(column.toLowerCase(java.util.Locale.ROOT), value);
    }

    public Map<String, dev.sluice.grammar.ast.Expression> defaults(String source) {
        return Map.copyOf(defaults.getOrDefault(key(source), Map.of()));
    }

    public List<CheckConstraint> checks(String source) {
        return List.copyOf(checks.getOrDefault(key(source), List.of()));
    }

    /** ksqlDB's {@code CREATE SOURCE STREAM|TABLE}: sources that only read their topic (no INSERT, no DELETE TOPIC). */
    private final java.util.Set<String> readOnly = new java.util.HashSet<>();

    public void readOnly(String source, boolean readOnly) {
        if (readOnly) {
            this.readOnly.add(key(source));
        } else {
            this.readOnly.remove(key(source));
        }
    }

    public boolean readOnly(String source) {
        return lookup(source).map(s -> readOnly.contains(key(s.name()))).orElse(false);
    }

    /** Endpoint URIs read in FROM/JOIN, to the source planned for them (one per URI per script). */
    private final Map<String, String> uris = new LinkedHashMap<>();

    public void bindUri(String uri, String sourceName) {
        uris.put(uri, sourceName);
    }

    public Optional<SourceDefinition> lookupUri(String uri) {
        String name = uris.get(uri);
        return name == null ? Optional.empty() : lookup(name);
    }

    public void register(SourceDefinition source) {
        sources.put(key(source.name()), source);
    }

    public Optional<SourceDefinition> lookup(String name) {
        SourceDefinition exact = sources.get(key(name));
        if (exact != null) {
            return Optional.of(exact);
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(sources.get(key(name.substring(dot + 1))));
    }

    public boolean contains(String name) {
        return lookup(name).isPresent();
    }

    public void remove(String name) {
        sources.remove(key(name));
    }

    public Collection<SourceDefinition> all() {
        return sources.values();
    }

    private static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}

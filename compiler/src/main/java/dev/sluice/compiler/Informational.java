package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.grammar.ast.Statement;

import java.util.Locale;

/**
 * Statements that change nothing in the compiled application (DESCRIBE, SHOW, ALTER ... PAUSE,
 * COMMENT ON, USE, ...): accepted, and answered with a note the CLI prints.
 */
final class Informational {
    private Informational() {
    }

    /** A source as JSON: name, kind, topic, columns with types and nullability, key, constraints. */
    static String json(dev.sluice.compiler.catalog.SourceDefinition source, Catalog catalog) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var node = mapper.createObjectNode();
        node.put("name", source.name());
        node.put("kind", source.kind().name());
        node.put("topic", source.format().topic());
        var columns = node.putArray("columns");
        for (var c : source.schema().columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type().sql()).put("nullable", c.nullable());
        }
        var key = node.putArray("primary_key");
        source.primaryKey().forEach(key::add);
        source.rowtimeColumn().ifPresent(i -> node.put("event_time", source.schema().column(i).name()));
        var checks = node.putArray("constraints");
        catalog.checks(source.name()).forEach(c -> checks.addObject().put("name", c.name()).put("check", c.text()));
        var format = node.putObject("with");
        source.format().properties().forEach((k, v) -> format.put(k, k.contains("password") ? "****" : v));
        return node.toString();
    }

    static String describe(Statement statement, Catalog catalog) {
        if (statement instanceof Statement.Describe d) {
            return catalog.lookup(d.name().toString())
                    .map(s -> "DESCRIBE " + s.name() + ": " + s.kind().name().toLowerCase(Locale.ROOT) + " "
                            + SchemaDiscovery.describe(s.schema()) + " topic '" + s.format().topic() + "'"
                            + (s.primaryKey().isEmpty() ? "" : " primary key (" + String.join(", ", s.primaryKey()) + ")")
                            + (catalog.checks(s.name()).isEmpty() ? "" : " constraints " + String.join(", ",
                            catalog.checks(s.name()).stream().map(c -> c.name() + " CHECK (" + c.text() + ")").toList())))
                    .orElse("DESCRIBE " + d.name() + ": not declared in this script");
        }
        if (statement instanceof Statement.Show show && show.words().contains("CREATE") && show.name().isPresent()) {
            return catalog.lookup(show.name().get().toString())
                    .map(src -> show.format().map(f -> f.equalsIgnoreCase("JSON")).orElse(false)
                            ? "SHOW CREATE " + src.name() + " FORMAT JSON: " + json(src, catalog)
                            : "SHOW CREATE " + src.name() + ": CREATE " + src.kind().name() + " " + src.name() + " "
                                    + SchemaDiscovery.describe(src.schema()) + " WITH ('topic' = '" + src.format().topic() + "')")
                    .orElse("SHOW CREATE " + show.name().get() + ": not declared in this script");
        }
        if (statement instanceof Statement.Accepted a) {
            return a.note();
        }
        if (statement instanceof Statement.CommentOn c) {
            return "COMMENT ON " + c.name() + ": " + c.comment();
        }
        if (statement instanceof Statement.Explain) {
            return "EXPLAIN: run `sluice explain SCRIPT` to see plans and the topology";
        }
        String kind = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        return kind + " at line " + statement.location().line()
                + " has no effect in a compiled application (it is accepted for compatibility)";
    }
}

package dev.sluice.cli.serve;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SELECT asked of a running application, compiled by Sluice's own compiler as a one-query script
 * that replays over rows gathered at request time: the application's declared sources and views as
 * written, each maintained result declared as a table over its sink topic (the topic its store
 * holds), the system tables it names, then the SELECT. So a pull query has exactly the SQL of a
 * pipeline query, and no second engine exists to disagree with it.
 */
final class EvaluationScript {
    private static final Pattern SYSTEM_TABLE = dev.sluice.compiler.SystemTableQueries.REFERENCE;

    /** The compiled script and where the user's SELECT starts in it (to place errors in the user's text). */
    record Compiled(CompiledScript script, CompiledQuery query, Set<String> systemTables, int visibleColumns) {
        Compiled(CompiledScript script, CompiledQuery query, Set<String> systemTables) {
            this(script, query, systemTables, query.schema().size());
        }
    }

    private EvaluationScript() {
    }

    static Compiled compile(String applicationSql, CompiledScript application, String select) {
        Set<String> system = new TreeSet<>();
        Matcher m = SYSTEM_TABLE.matcher(select);
        while (m.find()) {
            if (SystemTables.schema(m.group(1)).isEmpty()) {
                throw new SqlException(1, m.start() + 1, "unknown system table SYSTEM." + m.group(1).toUpperCase(Locale.ROOT),
                        "system tables: " + String.join(", ", SystemTables.NAMES));
            }
            system.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        StringBuilder sql = new StringBuilder();
        for (String declaration : declarations(applicationSql, application)) {
            sql.append(declaration.strip()).append(";\n");
        }
        for (String table : system) {
            sql.append(SystemTables.declaration(table)).append(";\n");
        }
        int offset = (int) sql.chars().filter(c -> c == '\n').count();
        String query = SYSTEM_TABLE.matcher(select).replaceAll(r -> "SYSTEM_" + r.group(1).toUpperCase(Locale.ROOT));
        CompiledScript script = null;
        for (int attempt = 0; script == null; attempt++) {
            try {
                script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                        .compile(sql + query, application.applicationId() + "-pull", BuildOptions.REPLAY);
            } catch (SqlException e) {
                Optional<String> unbounded = e.getMessage().contains("a join of two streams needs a time bound") && attempt < 8
                        ? unboundedJoin(query, e.line() - offset, e.column()) : Optional.empty();
                if (unbounded.isPresent()) {
                    query = unbounded.get();
                    continue;
                }
                if (e.line() > offset) {
                    throw new SqlException(e.line() - offset, e.column(), messageOf(e), e.hint().orElse(null));
                }
                throw e;
            }
        }
        CompiledQuery compiledQuery = script.printedQuery().orElseThrow(() -> new SqlException(1, 1,
                "expected a SELECT", "statements go to /ksql"));
        Optional<HiddenOrderColumns.Rewritten> sorted = HiddenOrderColumns.rewrite(query, compiledQuery);
        if (sorted.isPresent()) {
            try {
                CompiledScript widened = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                        .compile(sql + sorted.get().sql(), application.applicationId() + "-pull", BuildOptions.REPLAY);
                return new Compiled(widened, widened.printedQuery().orElseThrow(), system, sorted.get().visibleColumns());
            } catch (SqlException e) {
                // a sort key the widened SELECT cannot return: the answer says ORDER BY needs an output column
            }
        }
        return new Compiled(script, compiledQuery, system);
    }

    /**
     * An on-demand query reads bounded snapshots, so a join of two streams needs no time bound: every
     * row of one side may meet every row of the other, as in a batch query. The join whose ON condition
     * starts at {@code line:column} gets a window wider than any snapshot.
     */
    private static Optional<String> unboundedJoin(String query, int line, int column) {
        int at = 0;
        for (int l = 1; l < line && at >= 0; l++) {
            at = query.indexOf('\n', at) + 1;
        }
        if (at < 0 || line < 1) {
            return Optional.empty();
        }
        int condition = at + column - 1;
        Matcher on = Pattern.compile("(?i)\\bON\\b").matcher(query.substring(0, Math.min(condition, query.length())));
        int last = -1;
        while (on.find()) {
            last = on.start();
        }
        if (last < 0) {
            return Optional.empty();
        }
        return Optional.of(query.substring(0, last) + "WITHIN 36500000 DAYS " + query.substring(last));
    }

    private static String messageOf(SqlException e) {
        String text = e.getMessage();
        return text.replaceFirst("^line \\d+:\\d+: ", "");
    }

    /** Declarations in script order, with maintained results turned into tables over their sink topics. */
    private static List<String> declarations(String applicationSql, CompiledScript application) {
        Map<String, ServedTables.Served> served = ServedTables.of(application);
        List<String> out = new ArrayList<>();
        for (ParsedStatement parsed : SqlParser.parseScript(applicationSql).statements()) {
            Statement s = parsed.statement();
            if (s instanceof Statement.CreateSource create && connectorFed(create)) {
                // a connector writes its topic, named from the application: declared again under another
                // name, it would be planned with another connector and topic, so read the application's
                String name = create.name().simpleName();
                application.sources().stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst()
                        .ifPresent(d -> out.add(declare(d, d.kind() == SourceDefinition.Kind.TABLE)));
            } else if (s instanceof Statement.CreateSource || s instanceof Statement.Set || s instanceof Statement.Use) {
                out.add(parsed.text());
            } else if (s instanceof Statement.CreateAsSelect c && c.kind() == Statement.ObjectKind.VIEW) {
                out.add(parsed.text());
            } else if (s instanceof Statement.CreateAsSelect c) {
                String name = c.name().simpleName();
                Optional<SourceDefinition> source = application.sources().stream()
                        .filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
                source.ifPresent(d -> out.add(declare(d, served.containsKey(name.toLowerCase(Locale.ROOT)))));
            }
        }
        return out;
    }

    /** A source declared over a non-Kafka endpoint ({@code datasource = 'postgresql://...'}, files, ...). */
    private static boolean connectorFed(Statement.CreateSource create) {
        return create.properties().stream().anyMatch(p -> p.key().equalsIgnoreCase("datasource")
                && p.value() instanceof dev.sluice.grammar.ast.Expression.StringLiteral v
                && v.value().contains("://") && !v.value().toLowerCase(Locale.ROOT).startsWith("kafka://"));
    }

    static String declare(SourceDefinition source, boolean table) {
        StringBuilder sb = new StringBuilder("CREATE ");
        boolean keyed = table && !source.primaryKey().isEmpty();
        sb.append(keyed ? "TABLE " : "STREAM ").append(quote(source.name())).append(" (");
        List<String> columns = new ArrayList<>();
        for (Column c : source.schema().columns()) {
            columns.add(quote(c.name()) + " " + c.type().sql());
        }
        if (keyed) {
            columns.add("PRIMARY KEY (" + String.join(", ", source.primaryKey().stream().map(EvaluationScript::quote).toList()) + ")");
        }
        sb.append(String.join(", ", columns)).append(") WITH (");
        List<String> props = new ArrayList<>();
        props.add("'topic' = " + string(source.format().topic()));
        // the endpoint (datasource and its connector's options) stays with the application: here the
        // source is the topic its connector writes
        boolean connectorFed = source.format().properties().keySet().stream().anyMatch(k -> k.equalsIgnoreCase("datasource"));
        source.format().properties().forEach((k, v) -> {
            if (connectorFed && !k.toLowerCase(Locale.ROOT).endsWith("format")) {
                return;
            }
            if (!k.equalsIgnoreCase("topic") && !k.equalsIgnoreCase("kafka_topic")) {
                props.add(string(k) + " = " + string(v));
            }
        });
        return sb.append(String.join(", ", props)).append(")").toString();
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}

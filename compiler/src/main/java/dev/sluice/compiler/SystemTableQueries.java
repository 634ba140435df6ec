package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system tables ({@code system.stream_statistics}, {@code SYSTEM.JOBS}, ...): snapshots of a
 * running application, not streams. Their columns are known here so that a script's SELECT over them
 * compiles (and its column names and types are checked), as a pull query: the running application
 * answers it ({@code sluice run --http-port}, then {@code sluice query} or {@code POST /query-stream};
 * docs/serving.md). It is not part of the topology. A continuous query (EMIT CHANGES, CREATE ... AS,
 * INSERT) cannot read them: a snapshot has no changes to follow.
 */
public final class SystemTableQueries {
    /** {@code system.name}, as the serving path also finds it. */
    public static final Pattern REFERENCE = Pattern.compile("(?i)\\bsystem\\s*\\.\\s*([a-z_]+)");
    private static final Map<String, String> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put("jobs", "job_id VARCHAR, query VARCHAR, kind VARCHAR, status VARCHAR, start_time TIMESTAMP, "
                + "records_processed BIGINT, errors BIGINT, sink VARCHAR");
        SCHEMAS.put("streams", "stream_name VARCHAR, kind VARCHAR, topic VARCHAR, format VARCHAR, columns VARCHAR, "
                + "maintained_by VARCHAR");
        SCHEMAS.put("watermarks", "stream_name VARCHAR, topic VARCHAR, \"partition\" INT, latest_event_timestamp TIMESTAMP, "
                + "watermark_timestamp TIMESTAMP, watermark_delay_ms BIGINT");
        SCHEMAS.put("stream_statistics", "stream_name VARCHAR, kind VARCHAR, records_in BIGINT, records_out BIGINT, "
                + "records_per_second DOUBLE, errors BIGINT, dead_letters BIGINT, late_records_dropped BIGINT, lag BIGINT");
        SCHEMAS.put("kafka_consumer_status", "stream_name VARCHAR, topic VARCHAR, \"partition\" INT, current_offset BIGINT, "
                + "end_offset BIGINT, lag BIGINT");
    }

    /** Upper-case names, for messages. */
    public static final List<String> NAMES = SCHEMAS.keySet().stream().map(n -> n.toUpperCase(Locale.ROOT)).toList();

    private SystemTableQueries() {
    }

    /** The column list of a system table (lower-case name), if there is one by that name. */
    public static Optional<String> schema(String name) {
        return Optional.ofNullable(SCHEMAS.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The topic a pull query's evaluator feeds a system table's rows into (never a real topic). */
    public static String topic(String name) {
        return "__sluice_system_" + name.toLowerCase(Locale.ROOT);
    }

    /** The table declared as a JSON stream named {@code SYSTEM_NAME}, for a query compiled over its rows. */
    public static String declaration(String name) {
        return "CREATE STREAM SYSTEM_" + name.toUpperCase(Locale.ROOT) + " (" + SCHEMAS.get(name.toLowerCase(Locale.ROOT))
                + ") WITH ('topic' = '" + topic(name) + "', 'format' = 'json')";
    }

    /** {@code system.x} written {@code SYSTEM_X}: the same length when written without spaces, so places stay. */
    public static String rewrite(String sql) {
        // Line comments may stand between the words (`system.-- note` + newline + `jobs`), as the parser
        // allows: every reference that {@link #referenced} finds must be rewritten, or compiling the
        // rewritten query would find it again and recurse. The newlines inside keep later lines in place.
        return REFERENCE_ACROSS_COMMENTS.matcher(sql).replaceAll(r -> Matcher.quoteReplacement(
                "SYSTEM_" + r.group(1).toUpperCase(Locale.ROOT) + r.group().replaceAll("[^\n]", "")));
    }

    /** {@link #REFERENCE} with line comments allowed between its words. */
    private static final Pattern REFERENCE_ACROSS_COMMENTS = Pattern.compile(
            "(?i)\\bsystem(?:\\s|--[^\n]*)*\\.(?:\\s|--[^\n]*)*([a-z_]+)");

    /** The system tables a statement's text names (lower case); unknown names are left to the planner's error. */
    static Set<String> referenced(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(withoutCommentsAndStrings(text));
        while (m.find()) {
            if (SCHEMAS.containsKey(m.group(1).toLowerCase(Locale.ROOT))) {
                out.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * A script's SELECT over system tables: checked by compiling it over their declarations, as the
     * serving path will; returns the note that says how it is answered. EMIT CHANGES is refused.
     */
    static String pull(Statement.QueryStatement q, String text, Set<String> tables) {
        NodeLocation at = q.query().location();
        String name = "system." + tables.iterator().next();
        if (q.query().emit().isPresent()) {
            throw new SqlException(q.query().emit().get().location(), name + " is a snapshot of the running application, "
                    + "not a stream: EMIT CHANGES cannot follow it", "drop EMIT CHANGES: a SELECT over a system table is a "
                    + "pull query, answered by the running application (sluice query; docs/serving.md)");
        }
        StringBuilder script = new StringBuilder();
        for (String t : tables) {
            script.append(declaration(t)).append(";\n");
        }
        int offset = tables.size();
        // the statement's text from its SELECT (leading comments dropped), so that places map back
        String select = text.strip();
        while (select.startsWith("--")) {
            int nl = select.indexOf('\n');
            select = nl < 0 ? "" : select.substring(nl + 1).strip();
        }
        try {
            new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(script + rewrite(select), "system-pull",
                    BuildOptions.REPLAY);
        } catch (SqlException e) {
            if (e.line() <= offset) {
                throw e;
            }
            int line = at.line() + e.line() - offset - 1;
            int column = e.line() == offset + 1 ? at.column() + e.column() - 1 : e.column();
            String message = Pattern.compile("SYSTEM_([A-Z_]+)").matcher(e.getMessage())
                    .replaceAll(r -> "system." + r.group(1).toLowerCase(Locale.ROOT));
            throw new SqlException(line, column, message, e.hint().orElse(null));
        }
        return "line " + at.line() + ": a pull query of " + String.join(", ", tables.stream().map(t -> "system." + t).toList())
                + " (a snapshot of the running application, not part of the topology): `sluice run --http-port` answers it,"
                + " asked with sluice query or POST /query-stream (docs/serving.md)";
    }

    /** A continuous query that reads a system table: the planner's error for it. */
    public static Optional<SqlException> continuousRead(String name, NodeLocation where) {
        Matcher m = REFERENCE.matcher(name);
        if (!m.matches() || !SCHEMAS.containsKey(m.group(1).toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(new SqlException(where, name + " is a snapshot of the running application, not a stream: "
                + "a continuous query cannot read it", "ask it with a pull query (a bare SELECT without EMIT CHANGES, "
                + "or sluice query against sluice run --http-port; docs/serving.md)"));
    }

    private static String withoutCommentsAndStrings(String sql) {
        return sql.replaceAll("--[^\n]*", "").replaceAll("'(?:[^']|'')*'", "''");
    }
}

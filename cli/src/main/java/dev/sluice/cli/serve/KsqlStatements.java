package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.Steps;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.AlterAction;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.TargetLags;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The statements of ksqlDB's {@code POST /ksql} that make sense against a running application: SHOW
 * STREAMS/TABLES/QUERIES/DYNAMIC TABLES/VIEWS [LIKE ...], SHOW STREAM HEALTH, DESCRIBE, EXPLAIN, and
 * the management statements of seeds 000/001 and 004: ALTER ... PAUSE/RESUME/RESET OFFSET/SET
 * parallelism, {@code SET parallelism = n}, ALTER DYNAMIC TABLE ... REFRESH. Each answers one JSON
 * object in ksqlDB's shape ({@code @type}, {@code statementText}, ...).
 */
final class KsqlStatements {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeContext ctx;
    private final SourceManagement management;

    KsqlStatements(ServeContext ctx) {
        this.ctx = ctx;
        this.management = new SourceManagement(ctx);
    }

    ObjectNode run(String text) {
        Statement statement = SqlParser.parseStatement(text);
        ObjectNode out = JSON.createObjectNode();
        out.put("statementText", text.strip());
        if (statement instanceof Statement.Show show) {
            show(show, out);
        } else if (statement instanceof Statement.Describe d) {
            describe(source(d.name().simpleName(), d.name().location()), out);
        } else if (statement instanceof Statement.Explain e) {
            explain(e, text, out);
        } else if (statement instanceof Statement.Alter alter) {
            alter(alter, out);
        } else if (statement instanceof Statement.Set set && set.key().equalsIgnoreCase("parallelism")) {
            parallelism(set.value(), set.location(), out);
        } else if (statement instanceof Statement.QueryStatement) {
            throw new SqlException(statement.location(), "SELECT goes to POST /query-stream", "send {\"sql\": \"...\"} there");
        } else {
            throw new SqlException(statement.location(), "this statement cannot run against a running application",
                    "change the script and restart it; here: SHOW, DESCRIBE, EXPLAIN, ALTER ... PAUSE|RESUME|REFRESH, SET parallelism");
        }
        return out;
    }

    private void show(Statement.Show show, ObjectNode out) {
        String what = String.join(" ", show.words());
        Optional<Pattern> like = show.like().map(KsqlStatements::likePattern);
        switch (what) {
            case "STREAMS", "TABLES" -> {
                boolean tables = what.equals("TABLES");
                out.put("@type", tables ? "tables" : "streams");
                ArrayNode list = out.putArray(tables ? "tables" : "streams");
                for (SourceDefinition s : ctx.application().sources()) {
                    if ((s.kind() == SourceDefinition.Kind.TABLE) == tables && matches(like, s.name())) {
                        ObjectNode o = list.addObject();
                        o.put("type", s.kind().name());
                        o.put("name", s.name());
                        o.put("topic", s.format().topic());
                        o.put("keyFormat", s.format().properties().getOrDefault("key_format", "KAFKA").toUpperCase(Locale.ROOT));
                        o.put("valueFormat", s.format().properties().getOrDefault("format",
                                s.format().properties().getOrDefault("value_format", "json")).toUpperCase(Locale.ROOT));
                        o.put("isWindowed", s.schema().indexOf("window_start").isPresent());
                    }
                }
            }
            case "QUERIES" -> {
                out.put("@type", "queries");
                ArrayNode list = out.putArray("queries");
                for (CompiledQuery q : ctx.application().queries()) {
                    if (!matches(like, q.id())) {
                        continue;
                    }
                    ObjectNode o = list.addObject();
                    o.put("id", q.id());
                    o.put("queryString", q.sql().strip());
                    o.putArray("sinks").add(q.outputTopic());
                    o.put("queryType", q.persistent() ? "PERSISTENT" : "PUSH");
                    o.put("state", ctx.paused(q) ? "PAUSED" : ctx.streams().state().toString());
                }
            }
            case "DYNAMIC TABLES" -> {
                out.put("@type", "dynamic_tables");
                ArrayNode list = out.putArray("dynamicTables");
                for (ServedTables.Served s : ServedTables.of(ctx.application()).values()) {
                    String step = s.query().id() + "-target-lag";
                    boolean dynamic = Steps.explain(s.query().plan().root()).contains("[" + step + "]");
                    if (!dynamic || !matches(like, s.source().name())) {
                        continue;
                    }
                    ObjectNode o = list.addObject();
                    o.put("name", s.source().name());
                    o.put("query", s.query().id());
                    Optional<TargetLags.State> state = TargetLags.of(step);
                    long lag = state.map(TargetLags.State::lagMs).orElse(lagOf(s));
                    o.put("target_lag", Duration.ofMillis(lag).toString());
                    o.put("target_lag_ms", lag);
                    long last = state.map(TargetLags.State::lastRefreshMillis).orElse(0L);
                    if (last > 0) {
                        o.put("last_refresh", Instant.ofEpochMilli(last).toString());
                        o.put("data_lag_ms", Math.max(0, System.currentTimeMillis() - last));
                    } else {
                        o.putNull("last_refresh");
                    }
                    o.put("pending_keys", state.map(TargetLags.State::pendingKeys).orElse(0L));
                    o.put("scheduling_state", ctx.paused(s.query()) ? "SUSPENDED" : "ACTIVE");
                }
            }
            case "VIEWS" -> {
                out.put("@type", "views");
                ArrayNode list = out.putArray("views");
                for (var parsed : SqlParser.parseScript(ctx.applicationSql()).statements()) {
                    if (parsed.statement() instanceof Statement.CreateAsSelect c && c.kind() == Statement.ObjectKind.VIEW
                            && matches(like, c.name().simpleName())) {
                        list.addObject().put("name", c.name().simpleName()).put("text", parsed.text().strip());
                    }
                }
            }
            case "STREAM HEALTH", "TABLE HEALTH" -> health(show, out);
            default -> throw new SqlException(show.location(), "SHOW " + what + " is not supported here",
                    "try SHOW STREAMS, TABLES, QUERIES, DYNAMIC TABLES, VIEWS or STREAM HEALTH name");
        }
    }

    private static long lagOf(ServedTables.Served s) {
        String plan = Steps.explain(s.query().plan().root());
        var m = Pattern.compile("per (\\d+) ms").matcher(plan);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private void health(Statement.Show show, ObjectNode out) {
        String name = show.name().map(n -> n.simpleName()).orElseThrow(() -> new SqlException(show.location(),
                "SHOW STREAM HEALTH needs a stream name"));
        SourceDefinition source = source(name, show.location());
        out.put("@type", "stream_health");
        ObjectNode h = out.putObject("health");
        h.put("name", source.name());
        KafkaStreams.State state = ctx.streams().state();
        boolean paused = ctx.pauses().map(p -> p.isPaused(source.format().topic())).orElse(ctx.paused());
        String status = paused ? "PAUSED" : state == KafkaStreams.State.RUNNING ? "HEALTHY"
                : state == KafkaStreams.State.REBALANCING ? "REBALANCING" : "UNHEALTHY";
        h.put("status", status);
        h.put("state", state.toString());
        long lag = 0;
        boolean read = false;
        for (var e : ctx.offsets().positions().entrySet()) {
            if (e.getKey().source().name().equalsIgnoreCase(source.name())) {
                lag += e.getValue()[1] - Math.max(0, e.getValue()[0]);
                read = true;
            }
        }
        if (read) {
            h.put("consumer_lag", lag);
        } else {
            h.putNull("consumer_lag"); // written by this application, not read from outside
        }
        h.put("errors", dev.sluice.runtime.errors.DroppedRecords.bad());
        h.put("late_records_dropped", dev.sluice.runtime.errors.DroppedRecords.total(dev.sluice.runtime.errors.DropReason.LATE));
        h.put("threads", ctx.streams().metadataForLocalThreads().size());
    }

    private void describe(SourceDefinition s, ObjectNode out) {
        out.put("@type", "sourceDescription");
        ObjectNode d = out.putObject("sourceDescription");
        d.put("name", s.name());
        d.put("type", s.kind().name());
        d.put("topic", s.format().topic());
        d.put("valueFormat", s.format().properties().getOrDefault("format", "json").toUpperCase(Locale.ROOT));
        ArrayNode fields = d.putArray("fields");
        s.schema().columns().forEach(c -> {
            ObjectNode f = fields.addObject();
            f.put("name", c.name());
            f.putObject("schema").put("type", c.type().sql());
            if (s.primaryKey().stream().anyMatch(k -> k.equalsIgnoreCase(c.name()))) {
                f.put("type", "KEY");
            }
        });
        ArrayNode writes = d.putArray("writeQueries");
        ArrayNode reads = d.putArray("readQueries");
        for (CompiledQuery q : ctx.application().queries()) {
            if (q.persistent() && q.outputTopic().equals(s.format().topic())) {
                writes.add(q.id());
            }
            if (q.sources().stream().anyMatch(n -> n.equalsIgnoreCase(s.name()))) {
                reads.add(q.id());
            }
        }
        s.watermarkDelayMs().ifPresent(w -> d.put("watermarkDelayMs", w));
        d.put("served", ctx.served().containsKey(s.name().toLowerCase(Locale.ROOT)));
    }

    private void explain(Statement.Explain e, String text, ObjectNode out) {
        out.put("@type", "queryDescription");
        ObjectNode d = out.putObject("queryDescription");
        if (e.statement() instanceof Statement.QueryStatement) {
            String select = text.strip().replaceFirst("(?is)^explain\\s+", "");
            EvaluationScript.Compiled c = EvaluationScript.compile(ctx.applicationSql(), ctx.application(), select);
            d.put("id", "pull");
            d.put("statementText", select);
            d.put("executionPlan", Steps.explain(c.query().plan().root()));
            d.put("topology", c.script().topology().describe().toString());
            return;
        }
        throw new SqlException(e.location(), "EXPLAIN takes a SELECT or a query id", "SHOW QUERIES lists the ids");
    }

    /** EXPLAIN query_id: ksqlDB's form, parsed here because an id is not a statement. */
    Optional<ObjectNode> explainQueryId(String text) {
        var m = Pattern.compile("(?is)^\\s*explain\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*;?\\s*$").matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        for (CompiledQuery q : ctx.application().queries()) {
            if (q.id().equalsIgnoreCase(m.group(1))) {
                ObjectNode out = JSON.createObjectNode();
                out.put("statementText", text.strip());
                out.put("@type", "queryDescription");
                ObjectNode d = out.putObject("queryDescription");
                d.put("id", q.id());
                d.put("statementText", q.sql().strip());
                d.put("executionPlan", Steps.explain(q.plan().root()));
                d.put("topology", ctx.application().topology().describe().toString());
                d.put("state", ctx.paused(q) ? "PAUSED" : ctx.streams().state().toString());
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    private void alter(Statement.Alter alter, ObjectNode out) {
        String name = alter.name().simpleName();
        SourceDefinition source = source(name, alter.name().location());
        out.put("@type", "currentStatus");
        ArrayNode done = out.putArray("actions");
        for (AlterAction action : alter.actions()) {
            if (action instanceof AlterAction.Control c) {
                switch (c.verb().toUpperCase(Locale.ROOT)) {
                    case "REFRESH" -> {
                        ServedTables.Served s = ctx.served().get(source.name().toLowerCase(Locale.ROOT));
                        Optional<TargetLags.State> state = s == null ? Optional.empty() : TargetLags.of(s.query().id() + "-target-lag");
                        if (state.isEmpty()) {
                            done.add(source.name() + " has no target lag here: every change is published at once");
                        } else {
                            state.get().requestRefresh();
                            done.add("refresh of " + source.name() + " requested: its waiting updates are published now");
                        }
                    }
                    case "PAUSE", "SUSPEND" -> done.add(management.pause(source, true));
                    case "RESUME" -> done.add(management.pause(source, false));
                    default -> throw new SqlException(c.location(), c.verb() + " is not supported here");
                }
            } else if (action instanceof AlterAction.ResetOffset r) {
                done.add(management.resetOffsets(source, r));
            } else if (action instanceof AlterAction.SetOptions set) {
                for (Property p : set.properties()) {
                    if (!p.key().equalsIgnoreCase("parallelism")) {
                        throw new SqlException(p.location(), "only parallelism can change while the application runs",
                                "other settings take a restart");
                    }
                    parallelism(p.value() instanceof dev.sluice.grammar.ast.Expression.NumericLiteral n ? n.text()
                            : p.value() instanceof dev.sluice.grammar.ast.Expression.StringLiteral str ? str.value()
                            : p.value().toString(), p.location(), out);
                    done.add("parallelism " + out.get("threads").asInt());
                }
            } else {
                throw new SqlException(action.location(), "this change needs a new version of the script and a restart");
            }
        }
        out.put("status", ctx.paused() ? "PAUSED" : ctx.streams().state().toString());
    }

    private void parallelism(String value, dev.sluice.grammar.ast.NodeLocation location, ObjectNode out) {
        int wanted;
        try {
            wanted = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new SqlException(location, "parallelism must be a whole number of stream threads, not " + value);
        }
        if (wanted < 1) {
            throw new SqlException(location, "parallelism must be at least 1");
        }
        KafkaStreams streams = ctx.streams();
        int threads = streams.metadataForLocalThreads().size();
        while (threads < wanted && streams.addStreamThread().isPresent()) {
            threads++;
        }
        while (threads > wanted && streams.removeStreamThread(Duration.ofSeconds(30)).isPresent()) {
            threads--;
        }
        out.put("@type", "currentStatus");
        out.put("threads", threads);
    }

    private SourceDefinition source(String name, dev.sluice.grammar.ast.NodeLocation location) {
        return ctx.application().sources().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new SqlException(location, "no stream or table `" + name + "` in this application",
                        dev.sluice.compiler.analyzer.Suggestions.hint(name,
                                ctx.application().sources().stream().map(SourceDefinition::name).toList())));
    }

    private static boolean matches(Optional<Pattern> like, String name) {
        return like.isEmpty() || like.get().matcher(name).matches();
    }

    private static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder("(?i)");
        for (char c : like.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}

package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.cli.replay.InputRecords;
import dev.sluice.cli.run.ClientConfigs;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Answers SELECTs over a running application. A pull query compiles into an evaluation script
 * ({@link EvaluationScript}), gathers its inputs at request time (served tables from their stores on
 * every instance, or only the owner of a looked-up key; streams from their topics up to the end
 * offsets; system tables from the running client) and replays them ({@link SelectEvaluator}). A push
 * query ({@code EMIT CHANGES}) primes the same evaluator with the current rows and then feeds it the
 * changes of its input topics as they arrive, streaming each output row until the client goes away.
 */
final class QueryService {
    /** The header ksqlDB's /query-stream sends first. */
    record Header(String queryId, List<String> columnNames, List<String> columnTypes, List<String> fromStandby) {
        Header withStandbyReads(List<String> reads) {
            return new Header(queryId, columnNames, columnTypes, List.copyOf(reads));
        }
    }

    /** Receives a push query's header and rows; returns false once the client is gone. */
    interface RowSink {
        boolean header(Header header);

        boolean row(ArrayNode row);
    }

    private final ServeContext ctx;
    private final StoreReads stores;

    QueryService(ServeContext ctx) {
        this.ctx = ctx;
        this.stores = new StoreReads(ctx);
    }

    /** Whether {@code sql} asks for changes ({@code EMIT CHANGES}): a push query. */
    static boolean isPush(String sql) {
        try {
            Statement s = SqlParser.parseStatement(sql);
            return s instanceof Statement.QueryStatement q && q.query().emit().map(e -> e.kind() == Emit.Kind.CHANGES).orElse(false);
        } catch (RuntimeException e) {
            return false; // the compiler reports it with a position
        }
    }

    /** Runs a pull query: the header and every row. */
    void pull(String sql, RowSink sink) {
        sql = UncorrelatedSubqueries.inline(sql, this::rows);
        EvaluationScript.Compiled compiled;
        try {
            compiled = EvaluationScript.compile(ctx.applicationSql(), ctx.application(), sql);
        } catch (dev.sluice.grammar.SqlException e) {
            Optional<List<String>> branches = e.getMessage().contains("accepts only append-only")
                    ? UnionAllBranches.split(sql) : Optional.empty();
            if (branches.isEmpty()) {
                throw e;
            }
            pullBranches(branches.get(), sink);
            return;
        }
        try (SelectEvaluator evaluator = new SelectEvaluator(compiled)) {
            List<String> fromStandby = new ArrayList<>();
            feedCurrent(compiled, evaluator, keyLookup(sql, compiled), fromStandby);
            evaluator.endOfInput();
            List<ArrayNode> rows = evaluator.result();
            if (sink.header(header(compiled).withStandbyReads(fromStandby))) {
                for (ArrayNode row : rows) {
                    if (!sink.row(row)) {
                        return;
                    }
                }
            }
        }
    }

    /** A UNION ALL of updating results over one snapshot: each branch's rows, one branch after the other. */
    private void pullBranches(List<String> branches, RowSink sink) {
        List<ArrayNode> rows = new ArrayList<>();
        Header header = null;
        for (String branch : branches) {
            EvaluationScript.Compiled compiled = EvaluationScript.compile(ctx.applicationSql(), ctx.application(), branch);
            header = header == null ? header(compiled) : header;
            rows.addAll(rows(branch));
        }
        if (sink.header(header)) {
            for (ArrayNode row : rows) {
                if (!sink.row(row)) {
                    return;
                }
            }
        }
    }

    /** The rows of a pull query (a sub-query asked on its own). */
    private List<ArrayNode> rows(String sql) {
        EvaluationScript.Compiled compiled = EvaluationScript.compile(ctx.applicationSql(), ctx.application(), sql);
        try (SelectEvaluator evaluator = new SelectEvaluator(compiled)) {
            feedCurrent(compiled, evaluator, keyLookup(sql, compiled), new ArrayList<>());
            evaluator.endOfInput();
            return evaluator.result();
        }
    }

    /** Runs a push query until {@code sink} refuses a row or {@code stopped} says so. */
    void push(String sql, Map<String, JsonNode> properties, RowSink sink, BooleanSupplier stopped) {
        EvaluationScript.Compiled compiled = EvaluationScript.compile(ctx.applicationSql(), ctx.application(), sql);
        boolean earliest = properties.containsKey("auto.offset.reset")
                && properties.get("auto.offset.reset").asText().equalsIgnoreCase("earliest");
        try (SelectEvaluator evaluator = new SelectEvaluator(compiled);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                     ClientConfigs.readCommittedConsumer(ctx.props(), ctx.props().getProperty("application.id") + "-serve-push"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> topics = inputTopics(compiled);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                if (compiled.systemTables().stream().anyMatch(t -> SystemTables.topic(t).equals(topic))) {
                    continue;
                }
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            if (earliest) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // fix the start now: changes from here on
                feedTablesOnly(compiled, evaluator); // the current rows, so that aggregates and joins start from them
                evaluator.drain(); // a push query sends changes, not the snapshot
            }
            if (!sink.header(header(compiled))) {
                return;
            }
            while (!stopped.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    evaluator.pipe(r.topic(), r.key(), r.value(), r.timestamp());
                }
                for (SelectEvaluator.Change change : evaluator.drain()) {
                    if (change.row() != null && !sink.row(change.row())) {
                        return;
                    }
                }
                if (!sink.row(null)) { // a heartbeat: notices a client that went away while nothing changed
                    return;
                }
            }
        }
    }

    static Header header(EvaluationScript.Compiled compiled) {
        var columns = compiled.query().schema().columns().subList(0, compiled.visibleColumns());
        return new Header("query_" + UUID.randomUUID().toString().substring(0, 8),
                columns.stream().map(dev.sluice.serdes.row.Column::name).toList(),
                columns.stream().map(c -> c.type().sql()).toList(), List.of());
    }

    private void feedTablesOnly(EvaluationScript.Compiled compiled, SelectEvaluator evaluator) {
        for (String topic : inputTopics(compiled)) {
            Optional<ServedTables.Served> served = servedByTopic(topic);
            if (served.isPresent()) {
                long now = System.currentTimeMillis();
                stores.scan(served.get()).entries().forEach(e -> evaluator.pipe(topic, e.key(), e.value(), now));
            }
        }
    }

    /** Everything the SELECT reads, as of now: tables first, then streams merged by event time. */
    private void feedCurrent(EvaluationScript.Compiled compiled, SelectEvaluator evaluator, Optional<KeyLookup> lookup,
                             List<String> fromStandby) {
        long now = System.currentTimeMillis();
        List<List<InputRecords.Record>> streams = new ArrayList<>();
        List<String> streamTopics = new ArrayList<>();
        for (String topic : inputTopics(compiled)) {
            Optional<ServedTables.Served> served = servedByTopic(topic);
            Optional<String> system = compiled.systemTables().stream().filter(t -> SystemTables.topic(t).equals(topic)).findFirst();
            if (served.isPresent()) {
                StoreReads.Read read = lookup.isPresent() && lookup.get().table().equals(served.get())
                        ? stores.lookup(served.get(), lookup.get().key()) : stores.scan(served.get());
                fromStandby.addAll(read.fromStandby());
                read.entries().forEach(e -> evaluator.pipe(topic, e.key(), e.value(), now));
            } else if (system.isPresent()) {
                SystemTables.rows(system.get(), ctx).forEach(v -> evaluator.pipe(topic, null, v, now));
            } else {
                Optional<SourceDefinition> declared = ctx.application().sources().stream()
                        .filter(s -> s.format().topic().equals(topic)).findFirst();
                List<InputRecords.Record> records = TopicSnapshot.read(ctx.props(), topic);
                if (declared.isPresent() && declared.get().kind() == SourceDefinition.Kind.TABLE) {
                    records.forEach(r -> evaluator.pipe(topic, r.key(), r.value(), r.timestamp()));
                } else {
                    streams.add(records);
                    streamTopics.add(topic);
                }
            }
        }
        InputRecords.mergeByEventTime(streams, (r, i) -> evaluator.pipe(streamTopics.get(i), r.key(), r.value(), r.timestamp()));
    }

    private Optional<ServedTables.Served> servedByTopic(String topic) {
        return ctx.served().values().stream().filter(s -> s.topic().equals(topic)).findFirst();
    }

    private static Set<String> inputTopics(EvaluationScript.Compiled compiled) {
        Set<String> topics = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : compiled.script().topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().stream().filter(t -> !compiled.script().endOfTimeTopics().contains(t)
                            && !t.startsWith(compiled.script().applicationId() + "-")).forEach(topics::add);
                }
            }
        }
        for (var global : compiled.script().topology().describe().globalStores()) {
            topics.addAll(global.source().topicSet());
        }
        return topics;
    }

    /** A key lookup: the SELECT reads one served table and its WHERE fixes the table's single key column. */
    private record KeyLookup(ServedTables.Served table, byte[] key) {
    }

    private Optional<KeyLookup> keyLookup(String sql, EvaluationScript.Compiled compiled) {
        Statement s;
        try {
            s = SqlParser.parseStatement(sql);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!(s instanceof Statement.QueryStatement q) || !q.query().with().isEmpty()
                || !(q.query().body() instanceof QueryBody.Select select)
                || !(select.from().orElse(null) instanceof Relation.Table from) || select.where().isEmpty()) {
            return Optional.empty();
        }
        ServedTables.Served table = ctx.served().get(from.name().simpleName().toLowerCase(Locale.ROOT));
        if (table == null || table.source().primaryKey().size() != 1 || table.query().keySchema().size() != 1) {
            return Optional.empty();
        }
        String keyColumn = table.source().primaryKey().get(0);
        for (Expression conjunct : conjuncts(select.where().get())) {
            if (conjunct instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.EQ) {
                Optional<Object> value = keyEquality(b.left(), b.right(), keyColumn, table.query().keySchema().type(0))
                        .or(() -> keyEquality(b.right(), b.left(), keyColumn, table.query().keySchema().type(0)));
                if (value.isPresent()) {
                    var serializer = new FormatSerdeFactory().key(table.query().keySchema(), table.query().plan().sink().orElseThrow())
                            .serializer();
                    return Optional.of(new KeyLookup(table, serializer.serialize(table.topic(), Row.of(value.get()))));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Expression> conjuncts(Expression e) {
        if (e instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.AND) {
            List<Expression> out = new ArrayList<>(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
            return out;
        }
        return List.of(e);
    }

    private static Optional<Object> keyEquality(Expression column, Expression literal, String keyColumn, SqlType type) {
        if (!(column instanceof Expression.ColumnRef ref) || !ref.parts().get(ref.parts().size() - 1).value().equalsIgnoreCase(keyColumn)) {
            return Optional.empty();
        }
        try {
            if (literal instanceof Expression.StringLiteral str && type == ScalarType.VARCHAR) {
                return Optional.of(str.value());
            }
            if (literal instanceof Expression.NumericLiteral n) {
                if (type == ScalarType.INTEGER) {
                    return Optional.of(Integer.parseInt(n.text()));
                }
                if (type == ScalarType.BIGINT) {
                    return Optional.of(Long.parseLong(n.text()));
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

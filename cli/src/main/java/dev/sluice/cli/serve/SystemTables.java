package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.SystemTableQueries;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.metrics.SluiceMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The system tables, answered from the running application and declared to the evaluation script as
 * JSON streams ({@code SYSTEM.JOBS} becomes {@code SYSTEM_JOBS}) so that any SELECT works over them:
 * <ul>
 *   <li>{@code SYSTEM.JOBS}: the application's queries with their state, records and errors;
 *   <li>{@code SYSTEM.STREAMS}: declared and maintained streams and tables;
 *   <li>{@code SYSTEM.WATERMARKS}: per source partition, the newest event time processed and the watermark;
 *   <li>{@code system.stream_statistics}: per stream, records in and out, rates, errors, dead letters and lag;
 *   <li>{@code system.kafka_consumer_status}: per source partition, committed and end offsets, lag.
 * </ul>
 */
final class SystemTables {
    static final List<String> NAMES = SystemTableQueries.NAMES;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemTables() {
    }

    /** The columns, as the compiler declares them (one list for scripts and the serving path). */
    static Optional<String> schema(String name) {
        return SystemTableQueries.schema(name);
    }

    static String topic(String name) {
        return SystemTableQueries.topic(name);
    }

    static String declaration(String name) {
        return SystemTableQueries.declaration(name);
    }

    /** The rows of one system table as JSON values, in the column order of its declaration. */
    static List<byte[]> rows(String name, ServeContext ctx) {
        List<ObjectNode> rows = switch (name) {
            case "jobs" -> jobs(ctx);
            case "streams" -> streams(ctx);
            case "watermarks" -> watermarks(ctx);
            case "stream_statistics" -> statistics(ctx);
            case "kafka_consumer_status" -> consumerStatus(ctx);
            default -> throw new IllegalArgumentException("no system table " + name);
        };
        return rows.stream().map(r -> r.toString().getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<ObjectNode> jobs(ServeContext ctx) {
        Map<String, Double> processedByQuery = processedByQuery(ctx);
        List<ObjectNode> out = new ArrayList<>();
        String running = switch (ctx.streams().state()) {
            case RUNNING -> "Running";
            case REBALANCING -> "Rebalancing";
            case CREATED -> "Starting";
            case ERROR -> "Failed";
            default -> "Stopped";
        };
        for (CompiledQuery q : ctx.application().queries()) {
            ObjectNode row = JSON.createObjectNode();
            row.put("job_id", q.id());
            row.put("query", q.sql().strip());
            row.put("kind", q.persistent() ? (q.table() ? "TABLE" : "STREAM") : "SELECT");
            row.put("status", ctx.paused(q) ? "Paused" : running);
            row.put("start_time", ServeContext.timestamp(ctx.startedAt()));
            row.put("records_processed", processedByQuery.getOrDefault(q.id(), 0.0).longValue());
            row.put("errors", errors());
            row.put("sink", q.outputTopic());
            out.add(row);
        }
        return out;
    }

    private static List<ObjectNode> streams(ServeContext ctx) {
        List<ObjectNode> out = new ArrayList<>();
        for (SourceDefinition s : ctx.application().sources()) {
            ObjectNode row = JSON.createObjectNode();
            row.put("stream_name", s.name());
            row.put("kind", s.kind().name());
            row.put("topic", s.format().topic());
            row.put("format", s.format().properties().getOrDefault("format",
                    s.format().properties().getOrDefault("value_format", "json")));
            row.put("columns", s.schema().toString());
            row.put("maintained_by", ctx.application().queries().stream()
                    .filter(q -> q.persistent() && q.outputTopic().equals(s.format().topic())).map(CompiledQuery::id)
                    .findFirst().orElse(null));
            out.add(row);
        }
        return out;
    }

    private static List<ObjectNode> watermarks(ServeContext ctx) {
        List<ObjectNode> out = new ArrayList<>();
        for (var e : ctx.offsets().latestEventTimes().entrySet()) {
            SourceDefinition s = e.getKey().source();
            ObjectNode row = JSON.createObjectNode();
            row.put("stream_name", s.name());
            row.put("topic", e.getKey().partition().topic());
            row.put("partition", e.getKey().partition().partition());
            long delay = s.watermarkDelayMs().orElse(0);
            if (e.getValue() == null) {
                row.putNull("latest_event_timestamp");
                row.putNull("watermark_timestamp");
            } else {
                row.put("latest_event_timestamp", ServeContext.timestamp(e.getValue()));
                row.put("watermark_timestamp", ServeContext.timestamp(e.getValue() - delay));
            }
            row.put("watermark_delay_ms", delay);
            out.add(row);
        }
        return out;
    }

    private static List<ObjectNode> consumerStatus(ServeContext ctx) {
        List<ObjectNode> out = new ArrayList<>();
        for (var e : ctx.offsets().positions().entrySet()) {
            TopicPartition tp = e.getKey().partition();
            ObjectNode row = JSON.createObjectNode();
            row.put("stream_name", e.getKey().source().name());
            row.put("topic", tp.topic());
            row.put("partition", tp.partition());
            long committed = e.getValue()[0];
            long end = e.getValue()[1];
            if (committed < 0) {
                row.putNull("current_offset");
            } else {
                row.put("current_offset", committed);
            }
            row.put("end_offset", end);
            row.put("lag", end - Math.max(committed, 0));
            out.add(row);
        }
        return out;
    }

    private static List<ObjectNode> statistics(ServeContext ctx) {
        Map<String, double[]> byTopic = new LinkedHashMap<>(); // consumed total, consumed rate, sent total
        for (Map.Entry<MetricName, ? extends Metric> e : ctx.streams().metrics().entrySet()) {
            MetricName n = e.getKey();
            String topic = n.tags().get("topic");
            if (topic == null || n.tags().containsKey("partition") || !(e.getValue().metricValue() instanceof Number v)
                    || Double.isNaN(v.doubleValue())) {
                continue;
            }
            double[] acc = byTopic.computeIfAbsent(topic.replace('.', '_'), t -> new double[3]);
            if (n.group().equals("consumer-fetch-manager-metrics") && n.name().equals("records-consumed-total")) {
                acc[0] += v.doubleValue();
            } else if (n.group().equals("consumer-fetch-manager-metrics") && n.name().equals("records-consumed-rate")) {
                acc[1] += v.doubleValue();
            } else if (n.group().equals("producer-topic-metrics") && n.name().equals("record-send-total")) {
                acc[2] += v.doubleValue();
            }
        }
        String dlq = ctx.deadLetterTopic();
        double[] dead = dlq == null ? new double[3] : byTopic.getOrDefault(dlq.replace('.', '_'), new double[3]);
        Map<String, Long> lagByStream = new LinkedHashMap<>();
        for (ObjectNode status : consumerStatus(ctx)) {
            lagByStream.merge(status.get("stream_name").asText(), status.get("lag").asLong(), Long::sum);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (SourceDefinition s : ctx.application().sources()) {
            double[] acc = byTopic.getOrDefault(s.format().topic().replace('.', '_'), new double[3]);
            ObjectNode row = JSON.createObjectNode();
            row.put("stream_name", s.name());
            row.put("kind", s.kind().name());
            row.put("records_in", (long) acc[0]);
            row.put("records_out", (long) acc[2]);
            row.put("records_per_second", acc[1]);
            row.put("errors", errors());
            row.put("dead_letters", (long) dead[2]);
            row.put("late_records_dropped", dev.sluice.runtime.errors.DroppedRecords.total(dev.sluice.runtime.errors.DropReason.LATE));
            if (lagByStream.containsKey(s.name())) {
                row.put("lag", lagByStream.get(s.name()));
            } else {
                row.putNull("lag"); // a stream the application writes but does not read has no consumer lag
            }
            out.add(row);
        }
        return out;
    }

    /** Records processed per query: task-level totals, attributed by the query that names the task's sub-topology. */
    private static Map<String, Double> processedByQuery(ServeContext ctx) {
        Map<Integer, String> queryOfSubtopology = new LinkedHashMap<>();
        for (var sub : ctx.application().topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                for (CompiledQuery q : ctx.application().queries()) {
                    if (node.name().startsWith(q.id() + "-")) {
                        queryOfSubtopology.putIfAbsent(sub.id(), q.id());
                    }
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : ctx.streams().metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.group().equals("stream-task-metrics") && n.name().equals("process-total")
                    && e.getValue().metricValue() instanceof Number v && n.tags().get("task-id") != null) {
                int sub = Integer.parseInt(n.tags().get("task-id").split("_")[0]);
                String q = queryOfSubtopology.get(sub);
                if (q != null) {
                    out.merge(q, v.doubleValue(), Double::sum);
                }
            }
        }
        return out;
    }

    private static long errors() {
        return dev.sluice.runtime.errors.DroppedRecords.bad();
    }
}

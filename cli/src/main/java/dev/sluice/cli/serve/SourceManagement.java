package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.AlterAction;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

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

/**
 * Seed 001's stream management against the running application: {@code ALTER STREAM x PAUSE | RESUME}
 * and {@code ALTER STREAM x RESET OFFSET TO ...}, on every instance of the application.
 */
final class SourceManagement {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeContext ctx;

    SourceManagement(ServeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * PAUSE and RESUME of one stream or table: reading of its topic stops (a declared source), or of the
     * topics its query reads (a stream or table maintained by a query: that query pauses). The pause
     * holds on every instance of the application (peers are told over the query API); every query
     * whose inputs are all paused waits, which the answer names, since queries of one script share
     * their sources. Without {@code sluice run} (an embedded server) the whole client pauses.
     */
    String pause(SourceDefinition source, boolean pause) {
        if (ctx.pauses().isEmpty()) {
            if (pause) {
                ctx.streams().pause();
            } else {
                ctx.streams().resume();
            }
            ctx.setPaused(pause);
            return pause ? "paused: this instance stops processing every query (its whole Kafka Streams client)" : "resumed";
        }
        String topic = source.format().topic();
        java.util.Set<String> topics = new java.util.TreeSet<>();
        ctx.application().queries().stream().filter(q -> q.persistent() && topic.equals(q.outputTopic()))
                .forEach(q -> topics.addAll(ServeContext.topicsRead(q)));
        if (topics.isEmpty()) {
            topics.add(topic);
        }
        applyPause(topics, pause);
        List<String> failed = new java.util.ArrayList<>();
        Peers peers = new Peers(ctx);
        var others = peers.others();
        ObjectNode request = JSON.createObjectNode().put("pause", pause);
        topics.forEach(request.putArray("topics")::add);
        for (var host : others) {
            try {
                peers.post(host, "/internal/pause", request.toString());
            } catch (RuntimeException e) {
                failed.add(host.host() + ":" + host.port() + " (" + e.getMessage() + ")");
            }
        }
        List<String> waiting = ctx.application().queries().stream().filter(ctx::paused).map(CompiledQuery::id).toList();
        String answer = (pause ? "paused" : "resumed") + " reading " + String.join(", ", topics) + " on "
                + (1 + others.size() - failed.size()) + " instance(s); queries waiting: "
                + (waiting.isEmpty() ? "none" : String.join(", ", waiting));
        if (!failed.isEmpty()) {
            throw new IllegalStateException(answer + "; but these instances did not take it: " + String.join(", ", failed));
        }
        return answer;
    }

    /** This instance's part of a PAUSE or RESUME; also what {@code /internal/pause} does for a peer. */
    void applyPause(java.util.Collection<String> topics, boolean pause) {
        var pauses = ctx.pauses().orElseThrow(() -> new IllegalStateException("this instance pauses whole clients only"));
        if (pause) {
            pauses.pause(topics);
        } else {
            pauses.resume(topics);
        }
    }

    /**
     * What {@code kafka-streams-application-reset --input-topics x --to-earliest|--to-latest|--to-datetime}
     * does for one source: Kafka moves the offsets of an empty group only, so the client closes and
     * leaves the group, the group's committed offsets of the source move, and a new client of the same
     * topology starts processing from there, within the same run. State stores and internal topics
     * stay: a source re-read from an earlier offset is processed again (an aggregate counts it again),
     * as with Kafka's own reset of input topics. With other instances still in the group Kafka
     * refuses; this instance processes on from where it was and the error says to stop the others.
     */
    String resetOffsets(SourceDefinition source, AlterAction.ResetOffset r) {
        String topic = source.format().topic();
        OffsetSpec spec;
        if (r.timestamp().isPresent()) {
            String ts = r.timestamp().get() instanceof dev.sluice.grammar.ast.Expression.TypedLiteral t ? t.value()
                    : r.timestamp().get() instanceof dev.sluice.grammar.ast.Expression.StringLiteral str ? str.value()
                    : r.timestamp().get().toString();
            spec = OffsetSpec.forTimestamp(parseTimestamp(ts, r));
        } else {
            String position = r.position().orElse("earliest").replace("'", "").toLowerCase(Locale.ROOT);
            spec = switch (position) {
                case "earliest" -> OffsetSpec.earliest();
                case "latest" -> OffsetSpec.latest();
                default -> throw new SqlException(r.location(), "RESET OFFSET TO must be 'earliest', 'latest' or TIMESTAMP '...'");
            };
        }
        Optional<dev.sluice.cli.run.RunningStreams> running = ctx.restartable();
        if (running.isPresent()) {
            String moved = running.get().restart(Duration.ofSeconds(30), stopped -> moveOffsets(topic, spec));
            return moved + "; processing again from there" + (running.get().pauses().paused().isEmpty() ? ""
                    : " (paused topics stay paused: " + String.join(", ", running.get().pauses().paused()) + ")");
        }
        ctx.streams().close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        return moveOffsets(topic, spec) + "; the application stopped: start it again to process from there";
    }

    private String moveOffsets(String topic, OffsetSpec spec) {
        try {
            var admin = ctx.admin();
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
            Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
            partitions.forEach(p -> specs.put(new TopicPartition(topic, p.partition()), spec));
            Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
            partitions.forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            var latest = admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            // a timestamp after the last record has no offset (-1): the partition's end, as Kafka's tool does
            admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).forEach((tp, o) ->
                    offsets.put(tp, new OffsetAndMetadata(o.offset() < 0 ? latest.get(tp).offset() : o.offset())));
            admin.alterConsumerGroupOffsets(ctx.props().getProperty("application.id"), offsets).all().get(30, TimeUnit.SECONDS);
            return "offsets of " + topic + " reset to " + offsets.values().stream().map(o -> Long.toString(o.offset())).toList();
        } catch (Exception e) {
            throw new IllegalStateException("resetting the offsets of " + topic
                    + " failed (are other instances of the application still running? stop them first): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private static long parseTimestamp(String ts, AlterAction.ResetOffset r) {
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(ts.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new SqlException(r.location(), "cannot read the timestamp '" + ts + "'", "write it as 2024-01-15 10:00:00");
            }
        }
    }
}

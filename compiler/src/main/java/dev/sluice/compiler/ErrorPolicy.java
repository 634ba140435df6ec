package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import org.apache.kafka.streams.StreamsConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a record that cannot be read or processed, from a source's {@code on_error}
 * (or {@code on_deserialization_error}), {@code dlq_topic} and {@code error_tolerance} options (seed 001;
 * {@code error_tolerance = 'none'} is {@code fail}, {@code 'all'} is skip or, with a topic, send_to_dlq):
 * <ul>
 *   <li>{@code skip}: log, count and go on (Sluice's default);</li>
 *   <li>{@code send_to_dlq}: the same, and write the record to {@code dlq_topic} with the reason in its
 *       headers (Kafka Streams' dead-letter queue, KIP-1034); the default when {@code dlq_topic} is set;</li>
 *   <li>{@code fail}: stop the application on the first such record.</li>
 * </ul>
 * Kafka Streams has one handler and one dead-letter topic per application, so one policy serves the
 * whole script: the strictest any source asks for (fail, then send_to_dlq, then skip), with a note
 * when sources disagree. The policy becomes Streams settings (see {@link #streamsConfig()}), which a
 * {@code SET} of the same key in the script overrides.
 */
public record ErrorPolicy(Action action, Optional<String> deadLetterTopic, String source) {

    /** In increasing strictness: the script takes the largest. */
    public enum Action { SKIP, SEND_TO_DLQ, FAIL }

    static final List<String> ACTION_KEYS = List.of("on_error", "on_deserialization_error");
    static final List<String> TOPIC_KEYS = List.of("dlq_topic", "dead_letter_topic");

    /** The policy one source's WITH options ask for; empty when they say nothing about errors. */
    static Optional<ErrorPolicy> ofSource(String name, Map<String, String> properties, NodeLocation where) {
        Optional<String> topic = first(properties, TOPIC_KEYS).map(String::trim).filter(t -> !t.isEmpty());
        Optional<String> actionKey = ACTION_KEYS.stream().filter(properties::containsKey).findFirst();
        // Kafka Connect's errors.tolerance: 'none' stops at the first bad record, 'all' goes on past it
        String tolerance = properties.getOrDefault("error_tolerance", "").trim().toLowerCase(Locale.ROOT);
        if (actionKey.isEmpty()) {
            if (tolerance.equals("none")) {
                return Optional.of(new ErrorPolicy(Action.FAIL, topic, name));
            }
            return topic.map(t -> new ErrorPolicy(Action.SEND_TO_DLQ, Optional.of(t), name))
                    .or(() -> tolerance.equals("all") ? Optional.of(new ErrorPolicy(Action.SKIP, Optional.empty(), name))
                            : Optional.empty());
        }
        String value = properties.get(actionKey.get()).trim().toLowerCase(Locale.ROOT);
        Action action = switch (value) {
            case "skip" -> Action.SKIP;
            case "send_to_dlq" -> Action.SEND_TO_DLQ;
            case "fail" -> Action.FAIL;
            default -> throw new SqlException(where, name + ": " + actionKey.get() + " = '" + value
                    + "' is not a known policy", "use 'skip', 'send_to_dlq' or 'fail'");
        };
        if (action == Action.SEND_TO_DLQ && topic.isEmpty()) {
            throw new SqlException(where, name + ": " + actionKey.get() + " = 'send_to_dlq' needs a dead-letter topic",
                    "add dlq_topic = '<topic>' to WITH (...)");
        }
        if (action == Action.SKIP && topic.isPresent()) {
            throw new SqlException(where, name + ": " + actionKey.get() + " = 'skip' drops bad records, but dlq_topic = '"
                    + topic.get() + "' asks to keep them", "remove dlq_topic, or use on_error = 'send_to_dlq'");
        }
        if (tolerance.equals("none") && action != Action.FAIL || tolerance.equals("all") && action == Action.FAIL) {
            throw new SqlException(where, name + ": error_tolerance = '" + tolerance + "' contradicts " + actionKey.get()
                    + " = '" + value + "'", "'none' goes with on_error = 'fail'; 'all' with 'skip' or 'send_to_dlq'");
        }
        return Optional.of(new ErrorPolicy(action, topic, name));
    }

    /**
     * The script's policy from every declared source and sink, written into {@code settings} (keys a
     * SET already gave are left alone) with notes for the user; nothing when no source asks.
     */
    static Optional<ErrorPolicy> apply(Collection<SourceDefinition> sources, Map<String, String> settings,
                                       List<String> notes) {
        List<ErrorPolicy> asked = new ArrayList<>();
        for (SourceDefinition s : sources) {
            ofSource(s.name(), s.format().properties(), s.location()).ifPresent(asked::add);
        }
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        ErrorPolicy chosen = asked.get(0);
        for (ErrorPolicy p : asked) {
            if (p.action().compareTo(chosen.action()) > 0) {
                chosen = p;
            }
        }
        if (chosen.action() != Action.FAIL && chosen.deadLetterTopic().isEmpty()) {
            // keep a dead-letter topic if any source named one: the strictest non-failing policy keeps records
            for (ErrorPolicy p : asked) {
                if (p.deadLetterTopic().isPresent()) {
                    chosen = p;
                    break;
                }
            }
        }
        final ErrorPolicy picked = chosen;
        List<String> disagree = asked.stream().filter(p -> p.action() != picked.action()
                || !p.deadLetterTopic().equals(picked.deadLetterTopic())).map(ErrorPolicy::describe).toList();
        if (!disagree.isEmpty()) {
            notes.add("errors: Kafka Streams has one error handler and one dead-letter topic per application, so "
                    + "the whole script uses the strictest policy asked for, " + picked.describe() + " (also asked: "
                    + String.join("; ", disagree) + ")");
        }
        Map<String, String> config = picked.streamsConfig();
        List<String> overridden = new ArrayList<>();
        config.forEach((k, v) -> {
            if (settings.containsKey(k) && !settings.get(k).equals(v)) {
                overridden.add(k);
            } else {
                settings.put(k, v);
            }
        });
        notes.add("errors: bad records " + switch (picked.action()) {
            case SKIP -> "are logged, counted and skipped";
            case SEND_TO_DLQ -> "are logged, counted and sent to the dead-letter topic '"
                    + picked.deadLetterTopic().orElseThrow() + "'";
            case FAIL -> "stop the application";
        } + " (" + picked.describe() + ")"
                + (overridden.isEmpty() ? "" : "; SET " + String.join(", ", overridden) + " in the script wins"));
        return Optional.of(picked);
    }

    /** Kafka Streams settings that carry this policy out. */
    public Map<String, String> streamsConfig() {
        Map<String, String> out = new LinkedHashMap<>();
        switch (action) {
            case SKIP -> {
                // Sluice's default handlers already log, count and continue; nothing to add
            }
            case SEND_TO_DLQ -> out.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic.orElseThrow());
            case FAIL -> {
                // a dead-letter topic named beside 'fail' still receives the record that stopped the application
                deadLetterTopic.ifPresent(t -> out.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, t));
                out.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        FailFastHandlers.Deserialization.class.getName());
                out.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        FailFastHandlers.Processing.class.getName());
            }
        }
        return out;
    }

    private String describe() {
        return source + ": on_error = '" + action.name().toLowerCase(Locale.ROOT) + "'"
                + deadLetterTopic.map(t -> ", dlq_topic = '" + t + "'").orElse("");
    }

    private static Optional<String> first(Map<String, String> properties, List<String> keys) {
        for (String k : keys) {
            if (properties.containsKey(k)) {
                return Optional.of(properties.get(k));
            }
        }
        return Optional.empty();
    }
}

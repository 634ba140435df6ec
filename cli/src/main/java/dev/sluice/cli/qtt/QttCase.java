package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One test case in ksqlDB's query-validation-test (QTT) JSON format: statements, input records
 * (topic, key, value, timestamp, headers), expected output records (topic, key, value, timestamp,
 * window), or an expected exception instead of outputs. A case with a {@code format} list is one
 * case per format, with {@code {FORMAT}} replaced in its statements. {@code topics} declare the
 * schemas a case's topics have in the Schema Registry before it starts (name, keyFormat, keySchema,
 * valueFormat, valueSchema). A case marked {@code "enabled": false} is not {@code enabled}: ksqlDB's
 * runner does not run it, and neither does {@code sluice test} (it counts it as skipped).
 * {@code properties}: the ksqlDB settings the case runs with, given to the script as {@code SET}s.
 */
public record QttCase(String file, String name, List<String> statements, List<JsonNode> inputs,
                      List<JsonNode> outputs, Optional<JsonNode> expectedException, List<JsonNode> topics,
                      boolean enabled, Map<String, String> properties) {
    public QttCase {
        properties = Map.copyOf(properties);
        statements = List.copyOf(statements);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        topics = List.copyOf(topics);
    }

    public QttCase(String file, String name, List<String> statements, List<JsonNode> inputs,
                   List<JsonNode> outputs, Optional<JsonNode> expectedException, List<JsonNode> topics,
                   boolean enabled) {
        this(file, name, statements, inputs, outputs, expectedException, topics, enabled, Map.of());
    }

    public QttCase(String file, String name, List<String> statements, List<JsonNode> inputs,
                   List<JsonNode> outputs, Optional<JsonNode> expectedException, List<JsonNode> topics) {
        this(file, name, statements, inputs, outputs, expectedException, topics, true);
    }

    public QttCase(String file, String name, List<String> statements, List<JsonNode> inputs,
                   List<JsonNode> outputs, Optional<JsonNode> expectedException) {
        this(file, name, statements, inputs, outputs, expectedException, List.of());
    }
}

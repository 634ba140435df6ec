package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * One test case in ksqlDB's query-validation-test (QTT) JSON format: statements, input records
 * (topic, key, value, timestamp, headers), expected output records (topic, key, value, timestamp,
 * window), or an expected exception instead of outputs. A case with a {@code format} list is one
 * case per format, with {@code {FORMAT}} replaced in its statements.
 */
public record QttCase(String file, String name, List<String> statements, List<JsonNode> inputs,
                      List<JsonNode> outputs, Optional<JsonNode> expectedException) {
    public QttCase {
        statements = List.copyOf(statements);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}

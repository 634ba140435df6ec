package dev.sluice.cli.qtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.cli.UsageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads QTT JSON files into cases (lenient, as ksqlDB's own reader is: comments, trailing commas). */
public final class QttFiles {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            // as ksqlDB's runner reads them: 12345678987654321.2345678987654321 keeps every digit
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private QttFiles() {
    }

    public static List<QttCase> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        List<QttCase> out = new ArrayList<>();
        String fileName = file.getFileName().toString();
        for (JsonNode test : root.path("tests")) {
            String name = test.path("name").asText();
            List<String> statements = new ArrayList<>();
            test.path("statements").forEach(s -> statements.add(s.asText()));
            List<JsonNode> inputs = new ArrayList<>();
            test.path("inputs").forEach(inputs::add);
            List<JsonNode> outputs = new ArrayList<>();
            test.path("outputs").forEach(outputs::add);
            Optional<JsonNode> exception = Optional.ofNullable(test.get("expectedException"));
            List<JsonNode> topics = new ArrayList<>();
            test.path("topics").forEach(topics::add);
            boolean enabled = test.path("enabled").asBoolean(true);
            Map<String, String> properties = new LinkedHashMap<>();
            test.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(), p.getValue().asText()));
            if (test.has("format") && test.get("format").size() > 0) {
                for (JsonNode f : test.get("format")) {
                    String format = f.asText();
                    out.add(new QttCase(fileName, name + " - " + format,
                            statements.stream().map(s -> s.replace("{FORMAT}", format)).toList(), inputs, outputs,
                            exception, topics.stream().map(t -> withFormat(t, format)).toList(), enabled,
                            properties));
                }
            } else {
                out.add(new QttCase(fileName, name, statements, inputs, outputs, exception, topics, enabled, properties));
            }
        }
        return out;
    }

    /** A topic declaration with {@code {FORMAT}} replaced, as in the statements. */
    private static JsonNode withFormat(JsonNode topic, String format) {
        try {
            return JSON.readTree(JSON.writeValueAsString(topic).replace("{FORMAT}", format));
        } catch (IOException e) {
            throw new UsageException("cannot read a topic declaration: " + e.getMessage());
        }
    }
}

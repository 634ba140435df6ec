package com.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user deserializer seed 001 names ({@code deserializer_class = 'com.example.CustomDeserializer'}),
 * written as a user would, against Kafka's API only: it reads a JSON object and returns it as a
 * {@code Map}, with one field of its own ({@code decoded_by}) so tests see that the columns came
 * through the class. Anything else it refuses by throwing, as a real decoder of a private format does.
 */
public class CustomDeserializer implements Deserializer<Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private String source = "unconfigured";

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // the WITH options arrive here: show that they do
        source = String.valueOf(configs.get("poll_timeout_ms") == null ? "configured" : "poll_timeout_ms="
                + configs.get("poll_timeout_ms"));
    }

    @Override
    public Map<String, Object> deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException e) {
            throw new SerializationException("CustomDeserializer: not a JSON object: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new SerializationException("CustomDeserializer: not a JSON object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> out.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
        out.put("decoded_by", "CustomDeserializer(" + source + ")");
        return out;
    }
}

package dev.sluice.serdes.format.avro;

import java.util.Map;

/**
 * A registry schema that is not Avro ({@code schemaType} PROTOBUF or JSON): its text, and the texts of
 * the files it imports, by the name it imports them under (the registry's schema references).
 */
public record TextSchema(String type, String text, Map<String, String> references) {
    public TextSchema {
        references = Map.copyOf(references);
    }

    /** As registered: by id, and by subject and version when asked by subject. */
    public record Registered(String subject, int version, int id, TextSchema schema) {
    }
}

package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options ksqlDB gives its PROTOBUF formats, for the key or the value side:
 * {@code [key_|value_]protobuf_nullable_representation} ({@code optional} or {@code wrapper}),
 * {@code [key_|value_]schema_full_name} (the message to write or read) and
 * {@code [key_|value_]schema_id} (use that registered schema rather than one generated from the columns).
 */
record ProtobufOptions(ProtoSchemas.Nullables nullables, Optional<String> fullName, OptionalInt schemaId) {

    static ProtobufOptions from(FormatOptions options, boolean isKey) {
        String side = isKey ? "key_" : "value_";
        ProtoSchemas.Nullables nullables = OptionKeys.find(options, side + "protobuf_nullable_representation",
                        side.replace('_', '.') + "protobuf.nullable.representation")
                .map(v -> switch (OptionKeys.normalizedName(v).toUpperCase(Locale.ROOT)) {
                    case "OPTIONAL" -> ProtoSchemas.Nullables.OPTIONAL;
                    case "WRAPPER" -> ProtoSchemas.Nullables.WRAPPER;
                    default -> throw new IllegalArgumentException("'" + side + "protobuf_nullable_representation' must be"
                            + " 'OPTIONAL' or 'WRAPPER', got '" + v + "'");
                }).orElse(ProtoSchemas.Nullables.DEFAULT);
        Optional<String> fullName = OptionKeys.find(options, side + "schema_full_name").map(String::trim);
        OptionalInt id = OptionalInt.empty();
        Optional<String> idText = OptionKeys.find(options, side + "schema_id");
        if (idText.isPresent()) {
            try {
                id = OptionalInt.of(Integer.parseInt(idText.get().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + side + "schema_id' must be a schema id, got '" + idText.get() + "'");
            }
        }
        return new ProtobufOptions(nullables, fullName, id);
    }
}

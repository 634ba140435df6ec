package dev.sluice.serdes.format.protobuf;

import java.util.Map;

/**
 * One field of a message. {@code meta} holds Confluent's {@code (confluent.field_meta)} parameters
 * ({@code precision} and {@code scale} of a {@code confluent.type.Decimal}).
 */
public record ProtoField(String name, int number, Label label, ProtoType type, Map<String, String> meta) {
    public ProtoField {
        meta = Map.copyOf(meta);
    }

    /** proto3 labels: a plain field has no presence (absent reads as its default), {@code optional} has. */
    public enum Label { SINGULAR, OPTIONAL, REPEATED }
}

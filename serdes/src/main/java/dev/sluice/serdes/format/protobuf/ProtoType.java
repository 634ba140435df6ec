package dev.sluice.serdes.format.protobuf;

import java.util.Locale;

/**
 * The type of a protobuf field: a scalar, a message or enum named by its full name (resolved in the
 * {@link ProtoSchema} it belongs to), or a {@code map<K, V>}.
 */
public sealed interface ProtoType {

    /** The spelling in a {@code .proto} file. */
    String proto();

    /** The fifteen scalar value types, with the wire type each is written in. */
    enum Kind {
        DOUBLE(ProtoWire.I64), FLOAT(ProtoWire.I32), INT32(ProtoWire.VARINT), INT64(ProtoWire.VARINT),
        UINT32(ProtoWire.VARINT), UINT64(ProtoWire.VARINT), SINT32(ProtoWire.VARINT), SINT64(ProtoWire.VARINT),
        FIXED32(ProtoWire.I32), FIXED64(ProtoWire.I64), SFIXED32(ProtoWire.I32), SFIXED64(ProtoWire.I64),
        BOOL(ProtoWire.VARINT), STRING(ProtoWire.LEN), BYTES(ProtoWire.LEN);

        final int wireType;

        Kind(int wireType) {
            this.wireType = wireType;
        }

        /** Repeated fields of numeric kinds are packed in proto3 (one length-delimited run). */
        boolean packable() {
            return wireType != ProtoWire.LEN;
        }

        static Kind named(String name) {
            for (Kind k : values()) {
                if (k.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    record Scalar(Kind kind) implements ProtoType {
        @Override
        public String proto() {
            return kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /** A message type; {@code fullName} without a leading dot ({@code google.protobuf.Timestamp}). */
    record MessageRef(String fullName) implements ProtoType {
        @Override
        public String proto() {
            return fullName;
        }
    }

    record EnumRef(String fullName) implements ProtoType {
        @Override
        public String proto() {
            return fullName;
        }
    }

    /** {@code map<K, V>}: on the wire a repeated entry message with key = 1 and value = 2. */
    record MapOf(Scalar key, ProtoType value) implements ProtoType {
        @Override
        public String proto() {
            return "map<" + key.proto() + ", " + value.proto() + ">";
        }
    }
}

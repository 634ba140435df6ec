package dev.sluice.serdes.format.protobuf;

/** Bytes that are not a valid protobuf message, or a schema that cannot be read; the message says where. */
public final class ProtoException extends RuntimeException {
    public ProtoException(String message) {
        super(message);
    }
}

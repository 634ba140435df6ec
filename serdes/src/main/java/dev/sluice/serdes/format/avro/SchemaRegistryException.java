package dev.sluice.serdes.format.avro;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A Schema Registry call that failed: {@code errorCode} is the registry's own code (40401 subject not
 * found, 40403 schema not found, 409 incompatible...), or -1 when the registry could not be reached.
 */
public class SchemaRegistryException extends SerializationException {
    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean isNotFound() {
        return errorCode == 40401 || errorCode == 40402 || errorCode == 40403 || errorCode == 404;
    }
}

package dev.sluice.serdes.format.avro;

/** A schema as the registry knows it: its global id, and its subject and version when asked by subject. */
public record RegisteredSchema(String subject, int version, int id, org.apache.avro.Schema schema) {
}

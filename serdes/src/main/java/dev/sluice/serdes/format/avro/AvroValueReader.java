package dev.sluice.serdes.format.avro;

/** Turns one non-null datum read by Avro (reader-schema shaped) into Sluice's representation. */
@FunctionalInterface
interface AvroValueReader {
    Object read(Object datum);
}

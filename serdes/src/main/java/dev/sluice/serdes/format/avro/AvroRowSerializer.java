package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Row → Confluent wire format. One writer per topic (the record name and subject come from the
 * topic), registered with the registry the first time that topic is written.
 */
final class AvroRowSerializer implements Serializer<Row> {
    static final byte MAGIC_BYTE = 0;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final boolean isKey;
    private final boolean unwrapped;
    private final java.util.OptionalInt registeredId;
    private final Map<String, TopicWriter> writers = new ConcurrentHashMap<>();

    AvroRowSerializer(SchemaRegistryClient registry, Schema schema, boolean isKey) {
        this(registry, schema, isKey, isKey);
    }

    /** {@code unwrapped}: one column is written as its own Avro type (keys; ksqlDB's WRAP_SINGLE_VALUE=false). */
    AvroRowSerializer(SchemaRegistryClient registry, Schema schema, boolean isKey, boolean unwrapped) {
        this(registry, schema, isKey, unwrapped, java.util.OptionalInt.empty());
    }

    /** {@code registeredId}: write with that registered schema ({@code value_schema_id}) instead of generating one. */
    AvroRowSerializer(SchemaRegistryClient registry, Schema schema, boolean isKey, boolean unwrapped,
                      java.util.OptionalInt registeredId) {
        this.registry = registry;
        this.schema = schema;
        this.isKey = isKey;
        this.unwrapped = unwrapped;
        this.registeredId = registeredId;
    }

    private record TopicWriter(int id, GenericDatumWriter<Object> writer, Function<Object, Object> toDatum) {
    }

    @Override
    public byte[] serialize(String topic, Row row) {
        if (row == null || (unwrapped && schema.size() == 1 && row.get(0) == null)) {
            return null;
        }
        TopicWriter w = writers.computeIfAbsent(topic, this::writerFor);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(MAGIC_BYTE);
        out.write(w.id() >>> 24);
        out.write(w.id() >>> 16);
        out.write(w.id() >>> 8);
        out.write(w.id());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            w.writer().write(w.toDatum().apply(row), encoder);
            encoder.flush();
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write row " + row + " as Avro for topic " + topic + ": " + e.getMessage());
        }
        return out.toByteArray();
    }

    private TopicWriter writerFor(String topic) {
        if (registeredId.isPresent()) {
            int id = registeredId.getAsInt();
            org.apache.avro.Schema registered = registry.schemaById(id);
            if (registered.getType() == org.apache.avro.Schema.Type.RECORD && !(unwrapped && schema.size() == 1)) {
                return new TopicWriter(id, new GenericDatumWriter<>(registered),
                        AvroRegisteredDatums.record(schema.columns(), registered));
            }
        }
        org.apache.avro.Schema avro = unwrapped ? AvroSchemas.toAvroKey(schema, topic + (isKey ? "_key" : ""))
                : AvroSchemas.toAvro(schema, topic);
        int id = registry.register(SchemaRegistryClient.subject(topic, isKey), avro);
        Function<Object, Object> toDatum;
        if (!(unwrapped && schema.size() == 1)) {
            // several columns, or one wrapped: the row is the record (a lone STRUCT column unwrapped is
            // a record too, but the struct's own, written by the single-column branch)
            toDatum = AvroDatums.record(schema.columns(), avro);
        } else {
            Function<Object, Object> single = AvroDatums.forType(schema.type(0), AvroSchemas.nonNull(avro));
            toDatum = row -> single.apply(((Row) row).get(0));
        }
        return new TopicWriter(id, new GenericDatumWriter<>(avro), toDatum);
    }
}

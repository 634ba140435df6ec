package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Row → Confluent protobuf wire format. One writer per topic: the schema generated from the columns,
 * registered under the topic's subject on first use, or the registered schema the options name by id.
 */
final class ProtobufRowSerializer implements Serializer<Row> {
    static final byte MAGIC_BYTE = 0;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final ProtoSchema generated;
    private final ProtobufOptions options;
    private final boolean isKey;
    private final Map<String, TopicWriter> writers = new ConcurrentHashMap<>();

    private record TopicWriter(byte[] header, ProtoRowCodec codec) {
    }

    ProtobufRowSerializer(SchemaRegistryClient registry, Schema schema, ProtoSchema generated, ProtobufOptions options,
                          boolean isKey) {
        this.registry = registry;
        this.schema = schema;
        this.generated = generated;
        this.options = options;
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, Row row) {
        if (row == null) {
            return null;
        }
        TopicWriter w = writers.computeIfAbsent(topic, this::writerFor);
        try {
            ProtoWire.Out out = new ProtoWire.Out();
            out.raw(w.header());
            w.codec().write(row, out);
            return out.toByteArray();
        } catch (RuntimeException e) {
            throw new SerializationException("cannot write row " + row + " as protobuf for topic " + topic + ": "
                    + e.getMessage());
        }
    }

    private TopicWriter writerFor(String topic) {
        ProtoSchema writer;
        ProtoMessage message;
        int id;
        if (options.schemaId().isPresent()) {
            id = options.schemaId().getAsInt();
            TextSchema text = registry.textSchemaById(id);
            writer = ProtobufRowDeserializer.parse(text, id);
            message = options.fullName().map(n -> writer.find(n).orElseThrow(() -> new SerializationException(
                    "schema id " + id + " has no message " + n))).orElse(writer.first());
        } else {
            writer = generated;
            message = generated.first();
            id = registry.register(SchemaRegistryClient.subject(topic, isKey),
                    new TextSchema("PROTOBUF", ProtoText.render(generated), Map.of()));
        }
        return new TopicWriter(header(id, writer.indexesOf(message)), new ProtoRowCodec(writer, message, schema.columns()));
    }

    /** Magic byte, schema id (4 bytes big-endian), message indexes ({@code [0]} as the single byte 0). */
    static byte[] header(int id, List<Integer> indexes) {
        ProtoWire.Out out = new ProtoWire.Out();
        out.raw(new byte[] {MAGIC_BYTE, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        if (indexes.size() == 1 && indexes.get(0) == 0) {
            out.varint(0);
        } else {
            out.varint(ProtoWire.zigZag32(indexes.size()) & 0xFFFFFFFFL);
            for (int i : indexes) {
                out.varint(ProtoWire.zigZag32(i) & 0xFFFFFFFFL);
            }
        }
        return out.toByteArray();
    }
}

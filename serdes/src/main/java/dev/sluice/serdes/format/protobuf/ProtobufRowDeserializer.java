package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.format.avro.SchemaRegistryException;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confluent protobuf wire format → row. Per writer schema id (cached): fetch and parse the schema; per
 * message of it: bind the columns to its fields by name. A column the writer's message lacks is NULL.
 */
final class ProtobufRowDeserializer implements Deserializer<Row> {
    private static final int MAX_REMEMBERED = 1000;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final ProtobufOptions options;
    private final boolean isKey;
    private final Map<Integer, Object> schemasById = new ConcurrentHashMap<>();
    private final Map<List<Integer>, ProtoRowCodec> codecs = new ConcurrentHashMap<>();

    ProtobufRowDeserializer(SchemaRegistryClient registry, Schema schema, ProtobufOptions options, boolean isKey) {
        this.registry = registry;
        this.schema = schema;
        this.options = options;
        this.isKey = isKey;
    }

    @Override
    public Row deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 6) {
            throw new SerializationException("protobuf record too short: " + data.length + " bytes, the Confluent wire "
                    + "format needs at least 6 (magic byte 0, a 4-byte schema id, message indexes)");
        }
        if (data[0] != ProtobufRowSerializer.MAGIC_BYTE) {
            throw new SerializationException(String.format("unknown magic byte 0x%02x: not the Confluent protobuf wire "
                    + "format (magic byte 0, 4-byte schema id, message indexes, message)%s", data[0] & 0xff,
                    data[0] == '{' ? "; the record looks like JSON" : ""));
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        ProtoWire.In in = new ProtoWire.In(data, 5, data.length - 5);
        List<Integer> key = new ArrayList<>();
        key.add(id);
        try {
            int count = ProtoWire.unZigZag32((int) in.varint());
            if (count == 0) {
                key.add(0);
            }
            for (int i = 0; i < count; i++) {
                key.add(ProtoWire.unZigZag32((int) in.varint()));
            }
        } catch (ProtoException e) {
            throw new SerializationException("protobuf record of schema id " + id + ": bad message indexes: " + e.getMessage());
        }
        ProtoRowCodec codec = codecs.get(key);
        if (codec == null) {
            codec = codecFor(id, key.subList(1, key.size()), topic);
            if (codecs.size() < MAX_REMEMBERED) {
                codecs.put(List.copyOf(key), codec);
            }
        }
        try {
            return codec.read(data, in.position(), data.length - in.position());
        } catch (ProtoException | ClassCastException e) {
            throw new SerializationException("corrupt protobuf body for schema id " + id + " (message "
                    + codec.message().fullName() + "): " + e.getMessage());
        }
    }

    private ProtoRowCodec codecFor(int id, List<Integer> indexes, String topic) {
        Object cached = schemasById.get(id);
        if (cached == null) {
            try {
                cached = parse(registry.textSchemaById(id), id);
            } catch (SchemaRegistryException e) {
                if (!e.isNotFound()) {
                    throw e; // the registry may come back: do not remember the failure
                }
                cached = "unknown schema id " + id + ": not in the Schema Registry at " + registry.url();
            } catch (SerializationException e) {
                cached = e.getMessage();
            }
            if (schemasById.size() < MAX_REMEMBERED) {
                schemasById.put(id, cached);
            }
        }
        if (cached instanceof String error) {
            throw new SerializationException(error);
        }
        ProtoSchema writer = (ProtoSchema) cached;
        try {
            return new ProtoRowCodec(writer, writer.byIndexes(indexes), schema.columns());
        } catch (ProtoException e) {
            throw new SerializationException("writer schema id " + id + " of topic " + topic + " (" + (isKey ? "key" : "value")
                    + ") does not fit the columns " + schema + ": " + e.getMessage());
        }
    }

    static ProtoSchema parse(TextSchema text, int id) {
        if (!text.type().equalsIgnoreCase("PROTOBUF")) {
            throw new SerializationException("schema id " + id + " is a " + text.type() + " schema, not PROTOBUF");
        }
        try {
            return ProtoParser.parse(text.text(), text.references());
        } catch (ProtoException e) {
            throw new SerializationException("schema id " + id + ": " + e.getMessage());
        }
    }
}

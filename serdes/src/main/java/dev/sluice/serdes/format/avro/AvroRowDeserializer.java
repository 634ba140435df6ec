package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confluent wire format → row. Per writer schema id (cached): fetch the schema, derive the reader
 * schema, check compatibility once, then read every record of that id with
 * {@code GenericDatumReader(writer, reader)}.
 */
final class AvroRowDeserializer implements Deserializer<Row> {
    private static final int MAX_REMEMBERED_FAILURES = 1000;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final boolean isKey;
    private final boolean unwrappedValue;
    private final Map<Integer, IdReader> readers = new ConcurrentHashMap<>();

    /** How to read one writer schema id; {@code error} set when that id cannot fill the columns. */
    private record IdReader(GenericDatumReader<Object> reader, AvroValueReader toRow, String error) {
    }

    AvroRowDeserializer(SchemaRegistryClient registry, Schema schema, boolean isKey) {
        this(registry, schema, isKey, isKey);
    }

    /** {@code unwrapped}: one column is read from the record's own Avro type (keys; WRAP_SINGLE_VALUE=false). */
    AvroRowDeserializer(SchemaRegistryClient registry, Schema schema, boolean isKey, boolean unwrapped) {
        this.registry = registry;
        this.schema = schema;
        this.isKey = isKey;
        this.unwrappedValue = unwrapped && !isKey;
    }

    @Override
    public Row deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5) {
            throw new SerializationException("Avro record too short: " + data.length
                    + " bytes, the Confluent wire format needs at least 5 (magic byte 0 and a 4-byte schema id)");
        }
        if (data[0] != AvroRowSerializer.MAGIC_BYTE) {
            throw new SerializationException(String.format("unknown magic byte 0x%02x: not the Confluent Avro wire format "
                    + "(magic byte 0, 4-byte schema id, Avro body)%s", data[0] & 0xff,
                    data[0] == '{' ? "; the record looks like JSON" : ""));
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        IdReader r = readers.get(id);
        if (r == null) {
            try {
                r = readerFor(id, topic);
            } catch (SchemaRegistryException e) {
                throw e; // the registry may come back: do not remember the failure
            } catch (SerializationException e) {
                // an unknown or incompatible id stays so; remember it rather than ask again per record
                r = new IdReader(null, null, e.getMessage());
                if (readers.size() > MAX_REMEMBERED_FAILURES) {
                    throw e; // random garbage ids must not grow the cache without bound
                }
            }
            readers.put(id, r);
        }
        if (r.error() != null) {
            throw new SerializationException(r.error());
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
        Object datum;
        try {
            datum = r.reader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Avro body for schema id " + id + " has bytes left after the record ("
                        + data.length + " bytes in all): corrupt, or written with another schema");
            }
        } catch (EOFException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("Avro body truncated: " + (data.length - 5) + " bytes are too few for a record of schema id " + id);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException("corrupt Avro body for schema id " + id + ": " + e.getMessage());
        }
        Object row = r.toRow().read(datum);
        return (Row) row;
    }

    private IdReader readerFor(int id, String topic) {
        org.apache.avro.Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("unknown schema id " + id + ": not in the Schema Registry at " + registry.url());
            }
            throw e;
        }
        AvroReaderSchemas.Derived derived;
        if (writer.getType() == org.apache.avro.Schema.Type.RECORD && !isUnwrappedStruct(writer)) {
            derived = AvroReaderSchemas.row(schema.columns(), writer, latestSchema(topic), topic);
        } else if (schema.size() == 1) {
            // a primitive (unwrapped) key or value fills the single column
            AvroReaderSchemas.Derived single = AvroReaderSchemas.value(schema.type(0), AvroSchemas.nonNull(writer),
                    topic, schema.column(0).name());
            derived = new AvroReaderSchemas.Derived(AvroSchemas.nullable(single.reader()),
                    datum -> datum == null ? Row.of((Object) null) : Row.of(single.converter().read(datum)));
        } else {
            throw new SerializationException("writer schema id " + id + " is " + writer.getType().getName()
                    + ", not a record: it cannot fill the " + schema.size() + " columns " + schema.names());
        }
        SchemaCompatibility.SchemaPairCompatibility compat =
                SchemaCompatibility.checkReaderWriterCompatibility(derived.reader(), writer);
        if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            StringBuilder why = new StringBuilder();
            for (SchemaCompatibility.Incompatibility inc : compat.getResult().getIncompatibilities()) {
                if (why.length() > 0) {
                    why.append("; ");
                }
                why.append("field ").append(fieldPath(derived.reader(), inc.getLocation())).append(": ")
                        .append(explain(inc, writer.getType() == org.apache.avro.Schema.Type.RECORD));
            }
            throw new SerializationException("writer schema id " + id + " of topic " + topic + " (" + (isKey ? "key" : "value")
                    + ") does not fit the columns " + schema + ": " + why);
        }
        return new IdReader(new GenericDatumReader<>(writer, derived.reader()), derived.converter(), null);
    }

    /**
     * A value of one STRUCT column with WRAP_SINGLE_VALUE=false is the struct's own record. A key of
     * one STRUCT column is written unwrapped, as the struct's own record (ksqlDB's keys
     * unwrap a single column); a record whose only field is named as the column is the wrapped form.
     */
    private boolean isUnwrappedStruct(org.apache.avro.Schema writer) {
        if (unwrappedValue && schema.size() == 1 && schema.type(0) instanceof dev.sluice.serdes.row.StructType) {
            return true; // WRAP_SINGLE_VALUE=false: the record is the struct, whatever its fields are named
        }
        return isKey && schema.size() == 1 && schema.type(0) instanceof dev.sluice.serdes.row.StructType
                && !(writer.getFields().size() == 1
                && writer.getFields().get(0).name().equalsIgnoreCase(schema.column(0).name()));
    }

    /**
     * Avro's own words ("reader union lacking writer type: STRING") talk about the derived reader
     * schema the user never wrote; for a top-level column say it in SQL types instead.
     */
    private String explain(SchemaCompatibility.Incompatibility inc, boolean record) {
        String message = inc.getMessage();
        String[] parts = inc.getLocation().split("/");
        String lacking = "reader union lacking writer type: ";
        if (record && parts.length >= 3 && parts[1].equals("fields") && parts.length <= 5 && message.startsWith(lacking)) {
            try {
                int index = Integer.parseInt(parts[2]);
                return "the writer has " + message.substring(lacking.length()) + ", which cannot be read as "
                        + schema.type(index).sql();
            } catch (RuntimeException e) {
                return message;
            }
        }
        return message;
    }

    /** The subject's latest schema, for defaults of fields old writers lack; null when unavailable. */
    private org.apache.avro.Schema latestSchema(String topic) {
        try {
            return registry.latestSchema(SchemaRegistryClient.subject(topic, isKey)).map(RegisteredSchema::schema).orElse(null);
        } catch (SchemaRegistryException e) {
            return null; // e.g. no read access to subjects: defaults are a nicety, ids are what matter
        }
    }

    /** "/fields/2/type/1/items" → "amount[]": the reader field an incompatibility is about. */
    static String fieldPath(org.apache.avro.Schema reader, String location) {
        StringBuilder path = new StringBuilder();
        org.apache.avro.Schema s = reader;
        String[] parts = location.split("/");
        try {
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.equals("fields") && i + 1 < parts.length) {
                    org.apache.avro.Schema.Field f = s.getFields().get(Integer.parseInt(parts[++i]));
                    path.append(path.length() == 0 ? "" : ".").append(f.name());
                    s = f.schema();
                } else if (p.equals("items")) {
                    path.append("[]");
                    s = AvroSchemas.nonNull(s).getElementType();
                } else if (p.equals("values")) {
                    path.append("{}");
                    s = AvroSchemas.nonNull(s).getValueType();
                } else if (!p.isEmpty() && Character.isDigit(p.charAt(0)) && s.getType() == org.apache.avro.Schema.Type.UNION) {
                    s = s.getTypes().get(Integer.parseInt(p));
                }
            }
        } catch (RuntimeException e) {
            return location;
        }
        return path.length() == 0 ? "<record>" : path.toString();
    }
}

package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Locale;

/**
 * {@code format = 'protobuf'} and {@code 'protobuf_nosr'}, as ksqlDB writes and reads them.
 *
 * <p>PROTOBUF is Confluent's Schema Registry wire format: magic byte 0, the schema id as 4 bytes
 * big-endian, the message indexes (which message of the schema: ZigZag varints, a count then the
 * path; a single 0 for the first message), then the message. Writing registers the schema ksqlDB
 * generates from the columns ({@link ProtoSchemas}) under {@code <topic>-value} / {@code <topic>-key},
 * or writes with the registered schema {@code value_schema_id} names. Reading takes each record's
 * writer schema by id and binds columns to its fields by name.
 *
 * <p>PROTOBUF_NOSR is the bare message, written and read with the schema generated from the columns
 * (field numbers 1, 2, … in column order). Both are always wrapped: a single column is a one-field
 * message ({@code WRAP_SINGLE_VALUE = false} is refused, as in ksqlDB), keys included.
 */
public final class ProtobufRowFormat implements RowFormat {
    private final boolean registry;

    private ProtobufRowFormat(boolean registry) {
        this.registry = registry;
    }

    public static ProtobufRowFormat withRegistry() {
        return new ProtobufRowFormat(true);
    }

    public static ProtobufRowFormat noRegistry() {
        return new ProtobufRowFormat(false);
    }

    @Override
    public String name() {
        return registry ? "protobuf" : "protobuf_nosr";
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        if (!isKey && !OptionKeys.flag(options, true, "wrap_single_value")) {
            throw new IllegalArgumentException("Format '" + name().toUpperCase(Locale.ROOT)
                    + "' does not support 'WRAP_SINGLE_VALUE' set to 'false'.");
        }
        ProtobufOptions o = ProtobufOptions.from(options, isKey);
        ProtoSchema generated;
        try {
            generated = ProtoSchemas.fromColumns(schema.columns(), o.fullName().orElse(null), o.nullables());
        } catch (ProtoException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!registry) {
            ProtoRowCodec codec = new ProtoRowCodec(generated, generated.first(), schema.columns());
            return Serdes.serdeFrom(bareSerializer(codec), bareDeserializer(codec));
        }
        if (OptionKeys.find(options, SchemaRegistryClient.URL_KEYS).isEmpty()) {
            throw new IllegalArgumentException("format 'protobuf' needs the Schema Registry: add schema_registry_url ="
                    + " 'http://host:8081' to WITH (...), or use 'protobuf_nosr' for bare messages");
        }
        SchemaRegistryClient client = SchemaRegistryClient.fromOptions(options);
        return Serdes.serdeFrom(new ProtobufRowSerializer(client, schema, generated, o, isKey),
                new ProtobufRowDeserializer(client, schema, o, isKey));
    }

    private static Serializer<Row> bareSerializer(ProtoRowCodec codec) {
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            try {
                return codec.write(row);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot write row " + row + " as protobuf for topic " + topic + ": "
                        + e.getMessage());
            }
        };
    }

    private static Deserializer<Row> bareDeserializer(ProtoRowCodec codec) {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return codec.read(data, 0, data.length);
            } catch (RuntimeException e) {
                throw new SerializationException("not a protobuf " + codec.message().simpleName() + " message ("
                        + data.length + " bytes): " + e.getMessage());
            }
        };
    }
}

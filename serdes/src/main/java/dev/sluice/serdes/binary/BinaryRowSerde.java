package dev.sluice.serdes.binary;

import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Rows on internal topics (repartition, changelog): a format version byte, then {@link ValueCodec}'s
 * positional encoding. Only Sluice reads these bytes, so they carry no names; the version byte lets a
 * later Sluice change the encoding and still recognise (and refuse clearly) old records.
 */
public final class BinaryRowSerde implements Serde<Row> {
    public static final byte FORMAT_VERSION = 1;

    private final List<SqlType> types;
    public BinaryRowSerde(Schema schema) {
        this.types = schema.columns().stream().map(Column::type).toList();
    }

    /** Made once: a store's StateSerdes asks the serde for its serializer on every record. */
    private final Serializer<Row> serializer = (topic, row) -> row == null ? null : encode(row);
    private final Deserializer<Row> deserializer = (topic, data) -> data == null ? null : decode(data);

    @Override
    public Serializer<Row> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<Row> deserializer() {
        return deserializer;
    }

    public byte[] encode(Row row) {
        if (row.size() != types.size()) {
            throw new SerializationException("row has " + row.size() + " values, schema has " + types.size() + " columns");
        }
        // the thread's reused buffer: the only allocation is the exact-length result
        ByteArrayDataOutput out = ScratchOutput.take();
        try {
            out.writeByte(FORMAT_VERSION);
            ValueCodec.writeRow(out, types, row);
            return out.copyBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        } catch (ClassCastException e) {
            throw new SerializationException("row " + row + " does not match its schema: " + e.getMessage());
        } finally {
            ScratchOutput.give(out);
        }
    }

    public Row decode(byte[] data) {
        if (data.length == 0 || data[0] != FORMAT_VERSION) {
            throw new SerializationException("internal row format: expected version byte " + FORMAT_VERSION + ", got "
                    + (data.length == 0 ? "an empty record" : Integer.toString(data[0]))
                    + " (written by another Sluice version, or not an internal topic)");
        }
        ByteArrayDataInput in = new ByteArrayDataInput(data, 1, data.length - 1);
        try {
            Row row = ValueCodec.readRow(in, types);
            if (in.available() > 0) {
                throw new SerializationException("internal row format: " + in.available()
                        + " bytes left after the last column (schema changed?)");
            }
            return row;
        } catch (EOFException e) {
            throw new SerializationException("internal row format: record truncated (" + data.length + " bytes)");
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("internal row format: corrupt record: " + e);
        }
    }
}

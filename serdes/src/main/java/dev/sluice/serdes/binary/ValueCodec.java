package dev.sluice.serdes.binary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary encoding of one typed value: a presence byte, then the value. Used for state
 * (accumulators) and internal topics (repartition, changelog), where no other program reads the
 * bytes and JSON text would cost CPU and disk. The type is known from the schema, so it is not
 * written.
 */
public final class ValueCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ValueCodec() {
    }

    public static void write(DataOutput out, SqlType type, Object value) throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        if (type instanceof ScalarType s) {
            writeScalar(out, s, value);
        } else if (type instanceof DecimalType) {
            BigDecimal v = (BigDecimal) value;
            byte[] unscaled = v.unscaledValue().toByteArray();
            out.writeByte(v.scale());
            out.writeByte(unscaled.length);
            out.write(unscaled);
        } else if (type instanceof ArrayType a) {
            List<?> list = (List<?>) value;
            out.writeInt(list.size());
            for (Object e : list) {
                write(out, a.element(), e);
            }
        } else if (type instanceof MapType m) {
            Map<?, ?> map = (Map<?, ?>) value;
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(out, m.key(), e.getKey());
                write(out, m.value(), e.getValue());
            }
        } else if (type instanceof StructType st) {
            List<Column> fields = st.fields(); // by position, as writeRow
            Row row = (Row) value;
            for (int i = 0; i < fields.size(); i++) {
                write(out, fields.get(i).type(), row.get(i));
            }
        }
    }

    public static Object read(DataInput in, SqlType type) throws IOException {
        if (in.readByte() == 0) {
            return null;
        }
        if (type instanceof ScalarType s) {
            return readScalar(in, s);
        } else if (type instanceof DecimalType) {
            int scale = in.readByte();
            byte[] unscaled = new byte[in.readUnsignedByte()];
            in.readFully(unscaled);
            return new BigDecimal(new BigInteger(unscaled), scale);
        } else if (type instanceof ArrayType a) {
            int n = in.readInt();
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(read(in, a.element()));
            }
            return list;
        } else if (type instanceof MapType m) {
            int n = in.readInt();
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = read(in, m.key());
                map.put(k, read(in, m.value()));
            }
            return map;
        }
        List<Column> fields = ((StructType) type).fields(); // as readRow
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(in, fields.get(i).type());
        }
        return new Row(values);
    }

    /** Writes the values of {@code row} by position; {@code types} are its schema's column types. */
    public static void writeRow(DataOutput out, List<SqlType> types, Row row) throws IOException {
        for (int i = 0; i < types.size(); i++) {
            write(out, types.get(i), row.get(i));
        }
    }

    /** As {@link #writeRow}, from the values themselves (the same bytes, without a row around them). */
    public static void writeValues(DataOutput out, List<SqlType> types, Object[] values) throws IOException {
        for (int i = 0; i < types.size(); i++) {
            write(out, types.get(i), values[i]);
        }
    }

    public static Row readRow(DataInput in, List<SqlType> types) throws IOException {
        Object[] values = new Object[types.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(in, types.get(i));
        }
        return new Row(values);
    }

    private static void writeScalar(DataOutput out, ScalarType type, Object value) throws IOException {
        switch (type) {
            case VARCHAR -> {
                if (out instanceof ByteArrayDataOutput bytes) {
                    bytes.writeUtf8WithLength((String) value); // the same bytes, without the copy
                } else {
                    writeBytes(out, ((String) value).getBytes(StandardCharsets.UTF_8));
                }
            }
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case INTEGER, DATE, TIME -> out.writeInt((Integer) value);
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> out.writeLong((Long) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case BYTES -> writeBytes(out, (byte[]) value);
            case VARIANT -> writeBytes(out, JSON.writeValueAsBytes(value));
            case NULL -> {
                // a NULL-typed value is always null and never reaches here
            }
        }
    }

    private static Object readScalar(DataInput in, ScalarType type) throws IOException {
        return switch (type) {
            case VARCHAR -> in instanceof ByteArrayDataInput bytes
                    ? bytes.readUtf8(in.readInt())
                    : new String(readBytes(in), StandardCharsets.UTF_8);
            case BOOLEAN -> in.readBoolean();
            case INTEGER, DATE, TIME -> in.readInt();
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> in.readLong();
            case DOUBLE -> in.readDouble();
            case BYTES -> readBytes(in);
            case VARIANT -> JSON.readValue(readBytes(in), JsonNode.class);
            case NULL -> null;
        };
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}

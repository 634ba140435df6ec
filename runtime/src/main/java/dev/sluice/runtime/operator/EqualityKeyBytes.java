package dev.sluice.runtime.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value's equality key: bytes that are equal exactly when the values are equal, for the types
 * {@link OrderedValueBytes} cannot order (BYTES, VARIANT, ARRAY, MAP, ROW, and anything nested).
 * Their byte order means nothing, but is fixed, so a store keyed by them finds, counts and deletes
 * a value as a value → count map in the aggregate's state did: enough for COUNT_DISTINCT, ATTR and
 * DISTINCT sets, which only ask "is this value there".
 *
 * <p>Equality is the one the in-state maps use (Java's {@code equals} on the row values), made
 * canonical where the Java form has several spellings of one value:
 * <ul>
 *   <li>a MAP is equal to another with the same entries in any order: its entries are written
 *       sorted by their key's bytes;</li>
 *   <li>a VARIANT object likewise (fields sorted by name); a JSON integer is one value whatever
 *       Java class holds it, a JSON float and a JSON integer stay apart (as {@code 1} and
 *       {@code 1.0} do in JSON text and in Jackson's {@code equals});</li>
 *   <li>a BYTES value by its content (a {@code byte[]}'s {@code equals} is identity);</li>
 *   <li>a DECIMAL by its numeric value (1.0 = 1.00), read back at its type's scale;</li>
 *   <li>DOUBLE as {@link Double#equals}: NaN equals NaN, -0.0 differs from 0.0, as
 *       {@link OrderedValueBytes} and the in-state maps have it.</li>
 * </ul>
 *
 * <p>Every value is a presence byte (0 NULL, 1 a value) and, for a value, its content, which is
 * self-delimiting for its type: lengths are written before variable-length content (strings,
 * bytes, arrays, maps) and fixed-size scalars are written whole. So no value's bytes are a prefix
 * of another's of the same type, and a concatenation (a ROW's fields, a MAP's entries) splits one
 * way only. {@link #read} gives back a value whose key is the same bytes.
 */
final class EqualityKeyBytes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** VARIANT node kinds: one tag byte each. */
    private static final byte JSON_NULL = 0;
    private static final byte JSON_FALSE = 1;
    private static final byte JSON_TRUE = 2;
    private static final byte JSON_INTEGER = 3;
    private static final byte JSON_FLOAT = 4;
    private static final byte JSON_DECIMAL = 5;
    private static final byte JSON_STRING = 6;
    private static final byte JSON_BINARY = 7;
    private static final byte JSON_ARRAY = 8;
    private static final byte JSON_OBJECT = 9;

    private EqualityKeyBytes() {
    }

    /**
     * Whether values of {@code type} have an equality key here: every type but the NULL type,
     * whose only value is NULL (a set of it has at most one entry and needs no store).
     */
    static boolean supports(SqlType type) {
        return type != ScalarType.NULL;
    }

    /** The equality key of {@code value} (NULL included) on its own. */
    static byte[] of(SqlType type, Object value) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        write(out, type, value);
        return out.toByteArray();
    }

    /** Appends the equality key of {@code value} (NULL included). */
    static void write(ByteArrayDataOutput out, SqlType type, Object value) {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        if (type instanceof ScalarType s) {
            writeScalar(out, s, value);
        } else if (type instanceof DecimalType d) {
            writeDecimal(out, canonical((BigDecimal) value, d.scale()));
        } else if (type instanceof ArrayType a) {
            List<?> list = (List<?>) value;
            writeLength(out, list.size());
            for (Object element : list) {
                write(out, a.element(), element);
            }
        } else if (type instanceof MapType m) {
            Map<?, ?> map = (Map<?, ?>) value;
            List<byte[][]> entries = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.add(new byte[][] {of(m.key(), e.getKey()), of(m.value(), e.getValue())});
            }
            // the order of a map's entries is no part of its value
            entries.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
            writeLength(out, entries.size());
            for (byte[][] entry : entries) {
                out.write(entry[0]);
                out.write(entry[1]);
            }
        } else if (type instanceof StructType st) {
            Row row = (Row) value;
            for (int i = 0; i < st.fields().size(); i++) {
                write(out, st.fields().get(i).type(), row.get(i));
            }
        } else {
            throw new IllegalArgumentException("no equality key for " + type.sql());
        }
    }

    private static void writeScalar(ByteArrayDataOutput out, ScalarType type, Object value) {
        switch (type) {
            case VARCHAR -> {
                // UTF-16 code units, not UTF-8, which would merge strings with unpaired surrogates
                String s = (String) value;
                writeLength(out, s.length());
                for (int i = 0; i < s.length(); i++) {
                    out.writeChar(s.charAt(i));
                }
            }
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case INTEGER, DATE, TIME -> out.writeInt((Integer) value);
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> out.writeLong((Long) value);
            // doubleToLongBits: one NaN, and -0.0 apart from 0.0, as Double.equals
            case DOUBLE -> out.writeLong(Double.doubleToLongBits((Double) value));
            case BYTES -> {
                byte[] bytes = (byte[]) value;
                writeLength(out, bytes.length);
                out.write(bytes);
            }
            case VARIANT -> writeJson(out, value instanceof JsonNode node ? node : JSON.valueToTree(value));
            case NULL -> throw new IllegalArgumentException("a NULL-typed value is always NULL");
        }
    }

    private static void writeJson(ByteArrayDataOutput out, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.writeByte(JSON_NULL);
        } else if (node.isBoolean()) {
            out.writeByte(node.booleanValue() ? JSON_TRUE : JSON_FALSE);
        } else if (node.isIntegralNumber()) {
            // IntNode(1), LongNode(1) and BigIntegerNode(1) are the same JSON value
            byte[] twos = node.bigIntegerValue().toByteArray();
            out.writeByte(JSON_INTEGER);
            writeLength(out, twos.length);
            out.write(twos);
        } else if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
            out.writeByte(JSON_FLOAT);
            out.writeLong(Double.doubleToLongBits(node.doubleValue()));
        } else if (node.isBigDecimal()) {
            out.writeByte(JSON_DECIMAL);
            writeDecimal(out, canonical(node.decimalValue(), Integer.MIN_VALUE));
        } else if (node.isTextual()) {
            out.writeByte(JSON_STRING);
            writeScalar(out, ScalarType.VARCHAR, node.textValue());
        } else if (node.isBinary()) {
            out.writeByte(JSON_BINARY);
            try {
                writeScalar(out, ScalarType.BYTES, node.binaryValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (node.isArray()) {
            out.writeByte(JSON_ARRAY);
            writeLength(out, node.size());
            for (JsonNode element : node) {
                writeJson(out, element);
            }
        } else if (node.isObject()) {
            List<byte[][]> fields = new ArrayList<>(node.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                ByteArrayDataOutput name = new ByteArrayDataOutput(16);
                writeScalar(name, ScalarType.VARCHAR, field.getKey());
                ByteArrayDataOutput content = new ByteArrayDataOutput(16);
                writeJson(content, field.getValue());
                fields.add(new byte[][] {name.toByteArray(), content.toByteArray()});
            }
            // an object's field order is no part of its value (ObjectNode.equals ignores it too)
            fields.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
            out.writeByte(JSON_OBJECT);
            writeLength(out, fields.size());
            for (byte[][] field : fields) {
                out.write(field[0]);
                out.write(field[1]);
            }
        } else {
            // a POJO node: its JSON text, as the state codec would write it
            writeJson(out, JSON.valueToTree(node.toString()));
        }
    }

    /**
     * One spelling per numeric value: at the type's scale when that holds it exactly (as values
     * of the type normally are), else with no trailing zeros. {@code scale} MIN_VALUE: no type scale.
     */
    private static BigDecimal canonical(BigDecimal value, int scale) {
        BigDecimal stripped = value.stripTrailingZeros();
        return scale != Integer.MIN_VALUE && stripped.scale() <= scale ? stripped.setScale(scale) : stripped;
    }

    private static void writeDecimal(ByteArrayDataOutput out, BigDecimal value) {
        byte[] twos = value.unscaledValue().toByteArray();
        out.writeInt(value.scale());
        writeLength(out, twos.length);
        out.write(twos);
    }

    /** An unsigned varint: 7 bits a byte, low bits first, high bit set on all bytes but the last. */
    private static void writeLength(ByteArrayDataOutput out, int length) {
        int rest = length;
        while ((rest & ~0x7F) != 0) {
            out.writeByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    /** The value whose key {@link #write} wrote at {@code bytes[offset..]}; it has the same key. */
    static Object read(byte[] bytes, int offset, SqlType type) {
        try {
            return read(new ByteArrayDataInput(bytes, offset, bytes.length - offset), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an equality key of " + type.sql(), e);
        }
    }

    /** The values whose keys {@link #write} wrote one after another at {@code bytes[offset..]}. */
    static Object[] readAll(byte[] bytes, int offset, List<SqlType> types) {
        try {
            ByteArrayDataInput in = new ByteArrayDataInput(bytes, offset, bytes.length - offset);
            Object[] out = new Object[types.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = read(in, types.get(i));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the equality keys of " + types, e);
        }
    }

    private static Object read(ByteArrayDataInput in, SqlType type) throws IOException {
        if (in.readByte() == 0) {
            return null;
        }
        if (type instanceof ScalarType s) {
            return readScalar(in, s);
        }
        if (type instanceof DecimalType) {
            return readDecimal(in);
        }
        if (type instanceof ArrayType a) {
            int n = readLength(in);
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(read(in, a.element()));
            }
            return list;
        }
        if (type instanceof MapType m) {
            int n = readLength(in);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object key = read(in, m.key());
                map.put(key, read(in, m.value()));
            }
            return map;
        }
        StructType st = (StructType) type;
        Object[] fields = new Object[st.fields().size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = read(in, st.fields().get(i).type());
        }
        return new Row(fields);
    }

    private static Object readScalar(ByteArrayDataInput in, ScalarType type) throws IOException {
        return switch (type) {
            case VARCHAR -> {
                char[] chars = new char[readLength(in)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = in.readChar();
                }
                yield new String(chars);
            }
            case BOOLEAN -> in.readByte() != 0;
            case INTEGER, DATE, TIME -> in.readInt();
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> in.readLong();
            case DOUBLE -> Double.longBitsToDouble(in.readLong());
            case BYTES -> {
                byte[] bytes = new byte[readLength(in)];
                in.readFully(bytes);
                yield bytes;
            }
            case VARIANT -> readJson(in);
            case NULL -> null;
        };
    }

    private static JsonNode readJson(ByteArrayDataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case JSON_NULL -> NODES.nullNode();
            case JSON_FALSE -> NODES.booleanNode(false);
            case JSON_TRUE -> NODES.booleanNode(true);
            case JSON_INTEGER -> {
                byte[] twos = new byte[readLength(in)];
                in.readFully(twos);
                BigInteger value = new BigInteger(twos);
                // the node class Jackson's parser gives the same number
                yield value.bitLength() < Integer.SIZE ? NODES.numberNode(value.intValue())
                        : value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
            }
            case JSON_FLOAT -> NODES.numberNode(Double.longBitsToDouble(in.readLong()));
            case JSON_DECIMAL -> NODES.numberNode(readDecimal(in));
            case JSON_STRING -> NODES.textNode((String) readScalar(in, ScalarType.VARCHAR));
            case JSON_BINARY -> NODES.binaryNode((byte[]) readScalar(in, ScalarType.BYTES));
            case JSON_ARRAY -> {
                int n = readLength(in);
                var array = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) {
                    array.add(readJson(in));
                }
                yield array;
            }
            case JSON_OBJECT -> {
                int n = readLength(in);
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    String name = (String) readScalar(in, ScalarType.VARCHAR);
                    object.set(name, readJson(in));
                }
                yield object;
            }
            default -> throw new IOException("unknown VARIANT tag " + tag + " in an equality key");
        };
    }

    private static BigDecimal readDecimal(ByteArrayDataInput in) throws IOException {
        int scale = in.readInt();
        byte[] twos = new byte[readLength(in)];
        in.readFully(twos);
        return new BigDecimal(new BigInteger(twos), scale);
    }

    private static int readLength(ByteArrayDataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < Integer.SIZE; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed length in an equality key");
    }
}

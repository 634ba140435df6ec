package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoType.Kind;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Map;

/**
 * One value (not a repeated run) of a field: how a column's Java value is written in the field's
 * protobuf type and read back as the column's SQL type ({@link SqlType} fixes the Java classes).
 */
abstract class ValueCodec {

    abstract int wireType();

    /** Writes the payload (after the tag); {@code value} is not null, except for messages (an empty one). */
    abstract void write(ProtoWire.Out out, Object value);

    /** Reads one payload written with {@code wireType}. */
    abstract Object read(int wireType, ProtoWire.In in, ProtoField field);

    /** A plain field equal to this is not written (proto3's implicit presence). */
    abstract boolean isDefault(Object value);

    /** The value of an absent plain field. */
    abstract Object absent();

    /** What a NULL element of an array, or a NULL map value, is written as. */
    abstract Object zero();

    boolean packable() {
        return false;
    }

    static ValueCodec of(ProtoSchema schema, ProtoType type, Map<String, String> meta, SqlType sql, String where) {
        if (type instanceof ProtoType.Scalar s) {
            return new ScalarValue(s.kind(), sql);
        }
        if (type instanceof ProtoType.EnumRef e) {
            return new EnumValue(schema.enumType(e.fullName()));
        }
        if (type instanceof ProtoType.MapOf) {
            throw new ProtoException("field " + where + ": a map cannot be an element or a map's value");
        }
        String full = ((ProtoType.MessageRef) type).fullName();
        Kind wrapped = WellKnownTypes.WRAPPERS.get(full);
        if (wrapped != null) {
            return new MessageValue(new ProtoRowCodec(schema, schema.message(full),
                    java.util.List.of(new dev.sluice.serdes.row.Column("value", sql))), true);
        }
        switch (full) {
            case WellKnownTypes.TIMESTAMP:
                return new Timestamp();
            case WellKnownTypes.DATE:
                return new Date();
            case WellKnownTypes.DECIMAL:
                return new Decimal(sql instanceof DecimalType d ? d : null);
            case WellKnownTypes.TIME_OF_DAY:
                return new TimeOfDay();
            default:
                break;
        }
        if (!(sql instanceof StructType struct)) {
            throw new ProtoException("field " + where + " is the message " + full + ", and the column is " + sql.sql()
                    + " (a message needs a STRUCT)");
        }
        return new MessageValue(ProtoRowCodec.nested(schema, schema.message(full), struct), false);
    }

    /** The number as the column's numeric type. */
    static Object number(Number n, SqlType sql) {
        if (sql == ScalarType.INTEGER) {
            return n.intValue();
        }
        if (sql == ScalarType.BIGINT || sql == ScalarType.TIMESTAMP || sql == ScalarType.TIMESTAMP_LTZ
                || sql == ScalarType.INTERVAL) {
            return n.longValue();
        }
        if (sql == ScalarType.DOUBLE) {
            return n.doubleValue();
        }
        if (sql == ScalarType.DATE) {
            return n.intValue();
        }
        if (sql instanceof DecimalType d) {
            BigDecimal b = n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue())
                    : BigDecimal.valueOf(n.longValue());
            return b.setScale(d.scale(), RoundingMode.HALF_UP);
        }
        if (sql == ScalarType.VARCHAR) {
            return n.toString();
        }
        throw new ProtoException("a protobuf number cannot be read as " + sql.sql());
    }

    private static final class ScalarValue extends ValueCodec {
        private final Kind kind;
        private final SqlType sql;

        ScalarValue(Kind kind, SqlType sql) {
            this.kind = kind;
            this.sql = sql;
        }

        @Override
        int wireType() {
            return kind.wireType;
        }

        @Override
        boolean packable() {
            return kind.packable();
        }

        @Override
        void write(ProtoWire.Out out, Object v) {
            switch (kind) {
                case STRING -> out.string(v instanceof String s ? s : String.valueOf(v));
                case BYTES -> out.lengthDelimited((byte[]) v);
                case BOOL -> out.varint(((Boolean) v) ? 1 : 0);
                case DOUBLE -> out.fixed64(Double.doubleToLongBits(((Number) v).doubleValue()));
                case FLOAT -> out.fixed32(Float.floatToIntBits(((Number) v).floatValue()));
                case INT32, INT64, UINT32, UINT64 -> out.varint(((Number) v).longValue());
                case SINT32 -> out.varint(ProtoWire.zigZag32(((Number) v).intValue()) & 0xFFFFFFFFL);
                case SINT64 -> out.varint(ProtoWire.zigZag64(((Number) v).longValue()));
                case FIXED32, SFIXED32 -> out.fixed32((int) ((Number) v).longValue());
                case FIXED64, SFIXED64 -> out.fixed64(((Number) v).longValue());
            }
        }

        @Override
        Object read(int wireType, ProtoWire.In in, ProtoField field) {
            if (wireType != kind.wireType) {
                throw new ProtoException("field " + field.name() + " (" + kind.name().toLowerCase() + ") has wire type "
                        + wireType + ", expected " + kind.wireType);
            }
            return switch (kind) {
                case STRING -> sql == ScalarType.VARCHAR ? in.string() : convertText(in.string());
                case BYTES -> in.bytes();
                case BOOL -> in.varint() != 0;
                case DOUBLE -> number(Double.longBitsToDouble(in.fixed64()), sql);
                case FLOAT -> number((double) Float.intBitsToFloat(in.fixed32()), sql);
                case INT32 -> number((int) in.varint(), sql);
                case INT64, UINT64 -> number(in.varint(), sql);
                case UINT32 -> number(in.varint() & 0xFFFFFFFFL, sql);
                case SINT32 -> number(ProtoWire.unZigZag32((int) in.varint()), sql);
                case SINT64 -> number(ProtoWire.unZigZag64(in.varint()), sql);
                case FIXED32 -> number(in.fixed32() & 0xFFFFFFFFL, sql);
                case SFIXED32 -> number(in.fixed32(), sql);
                case FIXED64, SFIXED64 -> number(in.fixed64(), sql);
            };
        }

        private Object convertText(String s) {
            throw new ProtoException("a protobuf string cannot be read as " + sql.sql() + " ('" + s + "')");
        }

        @Override
        boolean isDefault(Object v) {
            return switch (kind) {
                case STRING -> v.toString().isEmpty();
                case BYTES -> ((byte[]) v).length == 0;
                case BOOL -> !((Boolean) v);
                case DOUBLE, FLOAT -> Double.doubleToRawLongBits(((Number) v).doubleValue()) == 0L;
                default -> ((Number) v).longValue() == 0L;
            };
        }

        @Override
        Object absent() {
            return kind == Kind.BYTES ? null : zero();
        }

        @Override
        Object zero() {
            return switch (kind) {
                case STRING -> "";
                case BYTES -> new byte[0];
                case BOOL -> Boolean.FALSE;
                default -> number(0, sql == ScalarType.BOOLEAN ? ScalarType.BIGINT : sql);
            };
        }
    }

    private static final class EnumValue extends ValueCodec {
        private final ProtoEnum type;

        EnumValue(ProtoEnum type) {
            this.type = type;
        }

        @Override
        int wireType() {
            return ProtoWire.VARINT;
        }

        @Override
        boolean packable() {
            return true;
        }

        @Override
        void write(ProtoWire.Out out, Object v) {
            out.varint(v instanceof Number n ? n.longValue() : type.numberOf(v.toString()));
        }

        @Override
        Object read(int wireType, ProtoWire.In in, ProtoField field) {
            return type.nameOf((int) in.varint());
        }

        @Override
        boolean isDefault(Object v) {
            return (v instanceof Number n ? n.intValue() : type.numberOf(v.toString())) == 0;
        }

        @Override
        Object absent() {
            return type.nameOf(0);
        }

        @Override
        Object zero() {
            return type.nameOf(0);
        }
    }

    /** A nested message: a STRUCT column, or a wrapper whose one field holds the scalar. */
    private static final class MessageValue extends MessageField {
        private final ProtoRowCodec codec;
        private final boolean wrapper;

        MessageValue(ProtoRowCodec codec, boolean wrapper) {
            this.codec = codec;
            this.wrapper = wrapper;
        }

        @Override
        void write(ProtoWire.Out out, Object v) {
            ProtoWire.Out inner = new ProtoWire.Out();
            if (v != null) {
                codec.write(wrapper ? Row.of(v) : (Row) v, inner);
            }
            out.lengthDelimited(inner.toByteArray());
        }

        @Override
        Object read(int wireType, ProtoWire.In in, ProtoField field) {
            if (wireType != ProtoWire.LEN) {
                throw new ProtoException("message field " + field.name() + " has wire type " + wireType);
            }
            Row r = codec.read(in.lengthDelimited());
            return wrapper ? r.get(0) : r;
        }
    }

    /** {@code google.protobuf.Timestamp}: seconds and nanos since the epoch ↔ epoch milliseconds. */
    private static final class Timestamp extends WellKnown {
        @Override
        void fields(ProtoWire.Out out, Object v) {
            long ms = ((Number) v).longValue();
            long seconds = Math.floorDiv(ms, 1000L);
            int nanos = (int) Math.floorMod(ms, 1000L) * 1_000_000;
            if (seconds != 0) {
                out.tag(1, ProtoWire.VARINT);
                out.varint(seconds);
            }
            if (nanos != 0) {
                out.tag(2, ProtoWire.VARINT);
                out.varint(nanos);
            }
        }

        @Override
        Object value(long[] f) {
            return f[1] * 1000L + Math.floorDiv((int) f[2], 1_000_000);
        }
    }

    /** {@code google.type.Date}: year, month, day ↔ days since 1970-01-01. */
    private static final class Date extends WellKnown {
        @Override
        void fields(ProtoWire.Out out, Object v) {
            LocalDate d = LocalDate.ofEpochDay(((Number) v).longValue());
            int[] parts = {d.getYear(), d.getMonthValue(), d.getDayOfMonth()};
            for (int i = 0; i < 3; i++) {
                if (parts[i] != 0) {
                    out.tag(i + 1, ProtoWire.VARINT);
                    out.varint(parts[i]);
                }
            }
        }

        @Override
        Object value(long[] f) {
            if (f[2] == 0 || f[3] == 0) {
                return null; // no month or day: google.type.Date's "unspecified" forms have no DATE value
            }
            return (int) LocalDate.of((int) f[1], (int) f[2], (int) f[3]).toEpochDay();
        }
    }

    /**
     * {@code google.type.TimeOfDay}: hours, minutes, seconds, nanos ↔ milliseconds of the day (the
     * message ksqlDB's protobuf converter gives a TIME column).
     */
    private static final class TimeOfDay extends WellKnown {
        @Override
        void fields(ProtoWire.Out out, Object v) {
            int ms = ((Number) v).intValue();
            int[] parts = {ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000 * 1_000_000};
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] != 0) {
                    out.tag(i + 1, ProtoWire.VARINT);
                    out.varint(parts[i]);
                }
            }
        }

        @Override
        Object value(long[] f) {
            return (int) (f[1] * 3_600_000L + f[2] * 60_000L + f[3] * 1000L + (int) f[4] / 1_000_000);
        }
    }

    /** Small well-known messages of varint fields (numbered 1 to 4). */
    private abstract static class WellKnown extends MessageField {
        abstract void fields(ProtoWire.Out out, Object v);

        abstract Object value(long[] fieldsByNumber);

        @Override
        void write(ProtoWire.Out out, Object v) {
            ProtoWire.Out inner = new ProtoWire.Out();
            if (v != null) {
                fields(inner, v);
            }
            out.lengthDelimited(inner.toByteArray());
        }

        @Override
        Object read(int wireType, ProtoWire.In in, ProtoField field) {
            ProtoWire.In m = in.lengthDelimited();
            long[] f = new long[5];
            while (!m.atEnd()) {
                long tag = m.varint();
                int n = (int) (tag >>> 3);
                int wt = (int) (tag & 7);
                if (wt == ProtoWire.VARINT && n < f.length) {
                    f[n] = m.varint();
                } else {
                    m.skip(wt);
                }
            }
            return value(f);
        }
    }

    /**
     * {@code confluent.type.Decimal}: the unscaled value as big-endian two's-complement bytes (field 1),
     * precision (2) and scale (3).
     */
    private static final class Decimal extends MessageField {
        private final DecimalType sql;

        Decimal(DecimalType sql) {
            this.sql = sql;
        }

        @Override
        void write(ProtoWire.Out out, Object v) {
            ProtoWire.Out inner = new ProtoWire.Out();
            if (v != null) {
                BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
                byte[] unscaled = d.unscaledValue().toByteArray();
                if (!(unscaled.length == 1 && unscaled[0] == 0)) {
                    inner.tag(1, ProtoWire.LEN);
                    inner.lengthDelimited(unscaled);
                }
                if (d.precision() != 0) {
                    inner.tag(2, ProtoWire.VARINT);
                    inner.varint(d.precision());
                }
                if (d.scale() != 0) {
                    inner.tag(3, ProtoWire.VARINT);
                    inner.varint(d.scale());
                }
            }
            out.lengthDelimited(inner.toByteArray());
        }

        @Override
        Object read(int wireType, ProtoWire.In in, ProtoField field) {
            ProtoWire.In m = in.lengthDelimited();
            byte[] unscaled = new byte[0];
            int scale = 0;
            while (!m.atEnd()) {
                long tag = m.varint();
                int n = (int) (tag >>> 3);
                int wt = (int) (tag & 7);
                if (n == 1 && wt == ProtoWire.LEN) {
                    unscaled = m.bytes();
                } else if (n == 3 && wt == ProtoWire.VARINT) {
                    scale = (int) m.varint();
                } else {
                    m.skip(wt);
                }
            }
            BigDecimal d = new BigDecimal(unscaled.length == 0 ? BigInteger.ZERO : new BigInteger(unscaled), scale);
            return sql == null ? d : d.setScale(sql.scale(), RoundingMode.HALF_UP);
        }
    }

    /**
     * A field holding a message (a struct, a well-known or Confluent type): length-delimited, always
     * written when the column has a value (a message has explicit presence), absent or NULL as NULL.
     */
    private abstract static class MessageField extends ValueCodec {
        @Override
        int wireType() {
            return ProtoWire.LEN;
        }

        @Override
        boolean isDefault(Object v) {
            return false;
        }

        @Override
        Object absent() {
            return null;
        }

        @Override
        Object zero() {
            return null;
        }
    }
}

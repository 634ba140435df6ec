package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoField.Label;
import dev.sluice.serdes.format.protobuf.ProtoType.Kind;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of some columns ↔ the bytes of one protobuf message. Columns are bound to fields by name (exact,
 * else ignoring case) once, when the codec is made; a column the message lacks reads as NULL and is not
 * written. proto3 rules: a plain scalar field equal to its default is not written and an absent one reads
 * as the default (0, "", false; ksqlDB reads absent {@code bytes} as NULL); {@code optional} fields,
 * wrappers and messages have presence, so NULL stays NULL; an absent repeated field is an empty ARRAY,
 * an absent map an empty MAP; NULL elements of an array are written as their default.
 */
public final class ProtoRowCodec {
    private final ProtoMessage message;
    private final FieldCodec[] byColumn;
    private final Map<Integer, Integer> columnByNumber = new java.util.HashMap<>();

    public ProtoRowCodec(ProtoSchema schema, ProtoMessage message, List<Column> columns) {
        this.message = message;
        this.byColumn = new FieldCodec[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            var f = message.field(c.name());
            if (f.isPresent()) {
                byColumn[i] = FieldCodec.of(schema, f.get(), c.type());
                columnByNumber.put(f.get().number(), i);
            }
        }
    }

    public ProtoMessage message() {
        return message;
    }

    public byte[] write(Row row) {
        ProtoWire.Out out = new ProtoWire.Out();
        write(row, out);
        return out.toByteArray();
    }

    void write(Row row, ProtoWire.Out out) {
        for (int i = 0; i < byColumn.length; i++) {
            if (byColumn[i] != null) {
                byColumn[i].write(out, row.get(i));
            }
        }
    }

    public Row read(byte[] data, int offset, int length) {
        return read(new ProtoWire.In(data, offset, length));
    }

    Row read(ProtoWire.In in) {
        Object[] raw = new Object[byColumn.length];
        while (!in.atEnd()) {
            long tag = in.varint();
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (number <= 0) {
                throw new ProtoException("field number " + number + " at byte " + in.position() + " is not valid");
            }
            Integer column = columnByNumber.get(number);
            if (column == null) {
                in.skip(wireType);
            } else {
                raw[column] = byColumn[column].accumulate(raw[column], wireType, in);
            }
        }
        Object[] values = new Object[byColumn.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = byColumn[i] == null ? null : byColumn[i].finish(raw[i]);
        }
        return new Row(values);
    }

    /** How one column is written to, and read from, its field. */
    private abstract static class FieldCodec {
        final ProtoField field;

        FieldCodec(ProtoField field) {
            this.field = field;
        }

        abstract void write(ProtoWire.Out out, Object value);

        /** Reads one occurrence of the field into what was read of it so far. */
        abstract Object accumulate(Object soFar, int wireType, ProtoWire.In in);

        /** The column's value from what was read (null when the field was absent). */
        abstract Object finish(Object read);

        static FieldCodec of(ProtoSchema schema, ProtoField f, SqlType type) {
            boolean mapField = f.type() instanceof ProtoType.MapOf
                    || f.label() == Label.REPEATED && f.type() instanceof ProtoType.MessageRef r
                    && !WellKnownTypes.isWellKnown(r.fullName()) && type instanceof MapType
                    && ProtoSchemas.isMapEntry(schema.message(r.fullName()));
            if (mapField) {
                if (!(type instanceof MapType m)) {
                    throw new ProtoException("field " + f.name() + " is a map, and the column is " + type.sql());
                }
                ProtoType keyType;
                ProtoType valueType;
                Map<String, String> valueMeta = Map.of();
                if (f.type() instanceof ProtoType.MapOf mo) {
                    keyType = mo.key();
                    valueType = mo.value();
                } else {
                    ProtoMessage entry = schema.message(((ProtoType.MessageRef) f.type()).fullName());
                    keyType = entry.fields().get(0).type();
                    valueType = entry.fields().get(1).type();
                    valueMeta = entry.fields().get(1).meta();
                }
                return new MapField(f, ValueCodec.of(schema, keyType, Map.of(), m.key(), f.name() + ".key"),
                        ValueCodec.of(schema, valueType, valueMeta, m.value(), f.name() + ".value"));
            }
            if (f.label() == Label.REPEATED) {
                if (!(type instanceof ArrayType a)) {
                    throw new ProtoException("field " + f.name() + " is repeated, and the column is " + type.sql());
                }
                return new RepeatedField(f, ValueCodec.of(schema, f.type(), f.meta(), a.element(), f.name()));
            }
            return new SingleField(f, ValueCodec.of(schema, f.type(), f.meta(), type, f.name()));
        }
    }

    private static final class SingleField extends FieldCodec {
        private final ValueCodec codec;
        private final boolean presence;

        SingleField(ProtoField field, ValueCodec codec) {
            super(field);
            this.codec = codec;
            this.presence = field.label() == Label.OPTIONAL || !(field.type() instanceof ProtoType.Scalar
                    || field.type() instanceof ProtoType.EnumRef);
        }

        @Override
        void write(ProtoWire.Out out, Object value) {
            if (value == null || !presence && codec.isDefault(value)) {
                return;
            }
            out.tag(field.number(), codec.wireType());
            codec.write(out, value);
        }

        @Override
        Object accumulate(Object soFar, int wireType, ProtoWire.In in) {
            return codec.read(wireType, in, field);
        }

        @Override
        Object finish(Object read) {
            if (read != null) {
                return read;
            }
            return presence ? null : codec.absent();
        }
    }

    private static final class RepeatedField extends FieldCodec {
        private final ValueCodec codec;

        RepeatedField(ProtoField field, ValueCodec codec) {
            super(field);
            this.codec = codec;
        }

        @Override
        void write(ProtoWire.Out out, Object value) {
            if (value == null) {
                return;
            }
            List<?> list = (List<?>) value;
            if (list.isEmpty()) {
                return;
            }
            if (codec.packable()) {
                ProtoWire.Out packed = new ProtoWire.Out();
                for (Object e : list) {
                    codec.write(packed, e == null ? codec.zero() : e);
                }
                out.tag(field.number(), ProtoWire.LEN);
                out.lengthDelimited(packed.toByteArray());
                return;
            }
            for (Object e : list) {
                out.tag(field.number(), codec.wireType());
                codec.write(out, e == null ? codec.zero() : e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        Object accumulate(Object soFar, int wireType, ProtoWire.In in) {
            List<Object> list = soFar == null ? new ArrayList<>() : (List<Object>) soFar;
            if (wireType == ProtoWire.LEN && codec.packable()) {
                ProtoWire.In run = in.lengthDelimited();
                while (!run.atEnd()) {
                    list.add(codec.read(codec.wireType(), run, field));
                }
            } else {
                list.add(codec.read(wireType, in, field));
            }
            return list;
        }

        @Override
        Object finish(Object read) {
            return read == null ? new ArrayList<>() : read;
        }
    }

    private static final class MapField extends FieldCodec {
        private final ValueCodec key;
        private final ValueCodec value;

        MapField(ProtoField field, ValueCodec key, ValueCodec value) {
            super(field);
            this.key = key;
            this.value = value;
        }

        @Override
        void write(ProtoWire.Out out, Object v) {
            if (v == null) {
                return;
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                ProtoWire.Out entry = new ProtoWire.Out();
                Object k = e.getKey() == null ? key.zero() : e.getKey();
                if (!key.isDefault(k)) {
                    entry.tag(1, key.wireType());
                    key.write(entry, k);
                }
                Object val = e.getValue() == null ? value.zero() : e.getValue();
                if (val != null && !value.isDefault(val)) {
                    entry.tag(2, value.wireType());
                    value.write(entry, val);
                }
                out.tag(field.number(), ProtoWire.LEN);
                out.lengthDelimited(entry.toByteArray());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        Object accumulate(Object soFar, int wireType, ProtoWire.In in) {
            Map<Object, Object> map = soFar == null ? new LinkedHashMap<>() : (Map<Object, Object>) soFar;
            if (wireType != ProtoWire.LEN) {
                throw new ProtoException("map field " + field.name() + " has wire type " + wireType + ", not length-delimited");
            }
            ProtoWire.In entry = in.lengthDelimited();
            Object k = null;
            Object v = null;
            while (!entry.atEnd()) {
                long tag = entry.varint();
                int n = (int) (tag >>> 3);
                int wt = (int) (tag & 7);
                if (n == 1) {
                    k = key.read(wt, entry, field);
                } else if (n == 2) {
                    v = value.read(wt, entry, field);
                } else {
                    entry.skip(wt);
                }
            }
            map.put(k == null ? key.absent() : k, v == null ? value.absent() : v);
            return map;
        }

        @Override
        Object finish(Object read) {
            return read == null ? new LinkedHashMap<>() : read;
        }
    }

    /** The values of a struct column: a message bound to the struct's fields. */
    static ProtoRowCodec nested(ProtoSchema schema, ProtoMessage m, StructType struct) {
        return new ProtoRowCodec(schema, m, struct.fields());
    }
}

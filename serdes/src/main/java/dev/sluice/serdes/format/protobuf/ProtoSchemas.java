package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoField.Label;
import dev.sluice.serdes.format.protobuf.ProtoType.Kind;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Columns ↔ protobuf schemas, as ksqlDB (through Confluent's {@code ProtobufData}) translates them.
 *
 * <p>Columns to a schema: one message ({@code ConnectDefault1} unless named) with a field per column,
 * numbered 1, 2, … in column order; VARCHAR {@code string}, INTEGER {@code int32}, BIGINT
 * {@code int64}, DOUBLE {@code double}, BOOLEAN {@code bool}, BYTES {@code bytes}, DECIMAL
 * {@code confluent.type.Decimal} with its precision and scale as field meta, DATE
 * {@code google.type.Date}, TIME {@code google.type.TimeOfDay}, TIMESTAMP {@code google.protobuf.Timestamp}, ARRAY {@code repeated},
 * MAP a repeated {@code ConnectDefaultNEntry} (key = 1, value = 2), STRUCT a nested
 * {@code ConnectDefaultN} message (N counts up through the schema). Nullable scalars are plain proto3
 * fields (NULL is written as absent and reads as the type's default) unless the nullable
 * representation is {@code optional} or {@code wrapper} ({@code google.protobuf.Int32Value}, …).
 *
 * <p>A schema to columns (inference): int32, sint32, sfixed32 INTEGER; int64, sint64, sfixed64, uint32,
 * uint64, fixed32, fixed64 BIGINT (unsigned 32-bit values do not fit an INTEGER); float and double
 * DOUBLE; enums VARCHAR; wrappers their scalar; the well-known types as above.
 */
public final class ProtoSchemas {

    /** How a nullable scalar column is declared: ksqlDB's {@code *_PROTOBUF_NULLABLE_REPRESENTATION}. */
    public enum Nullables { DEFAULT, OPTIONAL, WRAPPER }

    private ProtoSchemas() {
    }

    /** The schema ksqlDB would register for these columns. */
    public static ProtoSchema fromColumns(List<Column> columns, String messageName, Nullables nullables) {
        Generator g = new Generator(nullables);
        String name = messageName == null || messageName.isBlank() ? "ConnectDefault" + g.next() : messageName;
        ProtoMessage m = g.message(name, columns);
        int dot = name.lastIndexOf('.');
        String pkg = dot > 0 ? name.substring(0, dot) : ""; // a full name with a package: pkg.Message
        return new ProtoSchema(pkg, List.copyOf(g.imports), List.of(m), List.of(), List.of());
    }

    private static final class Generator {
        private final Nullables nullables;
        private final Set<String> imports = new LinkedHashSet<>();
        private int counter;

        Generator(Nullables nullables) {
            this.nullables = nullables;
        }

        int next() {
            return ++counter;
        }

        ProtoMessage message(String fullName, List<Column> columns) {
            List<ProtoField> fields = new ArrayList<>();
            List<ProtoMessage> nested = new ArrayList<>();
            int number = 1;
            for (Column c : columns) {
                fields.add(field(fullName, c.name(), number++, c.type(), nested));
            }
            return new ProtoMessage(fullName, fields, nested, List.of());
        }

        private ProtoField field(String scope, String name, int number, SqlType type, List<ProtoMessage> nested) {
            if (type instanceof ArrayType a) {
                if (a.element() instanceof ArrayType || a.element() instanceof MapType) {
                    throw new ProtoException("column " + name + " is " + type.sql()
                            + ": PROTOBUF cannot hold an array of arrays or of maps");
                }
                ProtoField element = field(scope, name, number, a.element(), nested);
                return new ProtoField(name, number, Label.REPEATED, element.type(), element.meta());
            }
            if (type instanceof MapType m) {
                if (m.key() != ScalarType.VARCHAR) {
                    throw new ProtoException("PROTOBUF format only supports MAP types with STRING keys");
                }
                String entry = "ConnectDefault" + next() + "Entry";
                List<ProtoMessage> entryNested = new ArrayList<>();
                ProtoField key = new ProtoField("key", 1, Label.SINGULAR, new ProtoType.Scalar(Kind.STRING), Map.of());
                ProtoField value = plain(field(scope + "." + entry, "value", 2, m.value(), entryNested));
                nested.add(new ProtoMessage(scope + "." + entry, List.of(key, value), entryNested, List.of()));
                return new ProtoField(name, number, Label.REPEATED, new ProtoType.MessageRef(scope + "." + entry), Map.of());
            }
            if (type instanceof StructType s) {
                String inner = scope + ".ConnectDefault" + next();
                nested.add(message(inner, s.fields()));
                return new ProtoField(name, number, Label.SINGULAR, new ProtoType.MessageRef(inner), Map.of());
            }
            if (type instanceof DecimalType d) {
                imports.add(WellKnownTypes.importFor(WellKnownTypes.DECIMAL));
                return new ProtoField(name, number, Label.SINGULAR, new ProtoType.MessageRef(WellKnownTypes.DECIMAL),
                        Map.of("precision", Integer.toString(d.precision()), "scale", Integer.toString(d.scale())));
            }
            ScalarType s = (ScalarType) type;
            String wellKnown = switch (s) {
                case TIMESTAMP, TIMESTAMP_LTZ -> WellKnownTypes.TIMESTAMP;
                case DATE -> WellKnownTypes.DATE;
                case TIME -> WellKnownTypes.TIME_OF_DAY;
                default -> null;
            };
            if (wellKnown != null) {
                imports.add(WellKnownTypes.importFor(wellKnown));
                return new ProtoField(name, number, Label.SINGULAR, new ProtoType.MessageRef(wellKnown), Map.of());
            }
            Kind kind = switch (s) {
                case VARCHAR -> Kind.STRING;
                case BOOLEAN -> Kind.BOOL;
                case INTEGER -> Kind.INT32;
                case BIGINT, INTERVAL -> Kind.INT64;
                case DOUBLE -> Kind.DOUBLE;
                case BYTES -> Kind.BYTES;
                default -> throw new ProtoException("column " + name + " is " + type.sql() + ", which PROTOBUF cannot hold");
            };
            if (nullables == Nullables.WRAPPER) {
                String wrapper = wrapperOf(kind);
                imports.add(WellKnownTypes.importFor(wrapper));
                return new ProtoField(name, number, Label.SINGULAR, new ProtoType.MessageRef(wrapper), Map.of());
            }
            return new ProtoField(name, number, nullables == Nullables.OPTIONAL ? Label.OPTIONAL : Label.SINGULAR,
                    new ProtoType.Scalar(kind), Map.of());
        }

        /** A map entry's value field is plain (it cannot be repeated or optional in the entry). */
        private static ProtoField plain(ProtoField f) {
            return f.label() == Label.OPTIONAL ? new ProtoField(f.name(), f.number(), Label.SINGULAR, f.type(), f.meta()) : f;
        }
    }

    static String wrapperOf(Kind kind) {
        for (var e : WellKnownTypes.WRAPPERS.entrySet()) {
            if (e.getValue() == kind) {
                return e.getKey();
            }
        }
        throw new IllegalStateException(kind.name());
    }

    /** The columns a message's fields give (schema inference). */
    public static Schema toColumns(ProtoSchema schema, ProtoMessage message) {
        List<Column> columns = new ArrayList<>();
        for (ProtoField f : message.fields()) {
            columns.add(new Column(f.name(), sqlType(schema, f, new LinkedHashSet<>(List.of(message.fullName())))));
        }
        return new Schema(columns);
    }

    private static SqlType sqlType(ProtoSchema schema, ProtoField f, Set<String> enclosing) {
        ProtoType t = f.type();
        if (t instanceof ProtoType.MapOf m) {
            return new MapType(scalar(m.key().kind()), single(schema, f.name(), m.value(), Map.of(), enclosing));
        }
        if (f.label() == Label.REPEATED && t instanceof ProtoType.MessageRef r && isMapEntry(schema.message(r.fullName()))) {
            ProtoMessage entry = schema.message(r.fullName());
            return new MapType(sqlType(schema, entry.fields().get(0), enclosing), sqlType(schema, entry.fields().get(1), enclosing));
        }
        SqlType single = single(schema, f.name(), t, f.meta(), enclosing);
        return f.label() == Label.REPEATED ? new ArrayType(single) : single;
    }

    /** ksqlDB's own map entries: a nested {@code …Entry} message with exactly key = 1 and value = 2. */
    static boolean isMapEntry(ProtoMessage m) {
        return m.simpleName().endsWith("Entry") && m.fields().size() == 2
                && m.fields().get(0).name().equals("key") && m.fields().get(0).number() == 1
                && m.fields().get(1).name().equals("value") && m.fields().get(1).number() == 2;
    }

    private static SqlType single(ProtoSchema schema, String name, ProtoType t, Map<String, String> meta, Set<String> enclosing) {
        if (t instanceof ProtoType.Scalar s) {
            return scalar(s.kind());
        }
        if (t instanceof ProtoType.EnumRef) {
            return ScalarType.VARCHAR;
        }
        if (t instanceof ProtoType.MapOf) {
            throw new ProtoException("field " + name + ": a map cannot be a map's value");
        }
        String full = ((ProtoType.MessageRef) t).fullName();
        Kind wrapped = WellKnownTypes.WRAPPERS.get(full);
        if (wrapped != null) {
            return scalar(wrapped);
        }
        switch (full) {
            case WellKnownTypes.TIMESTAMP:
                return ScalarType.TIMESTAMP;
            case WellKnownTypes.DATE:
                return ScalarType.DATE;
            case WellKnownTypes.TIME_OF_DAY:
                return ScalarType.TIME;
            case WellKnownTypes.DECIMAL:
                int precision = Integer.parseInt(meta.getOrDefault("precision", "64"));
                int scale = Integer.parseInt(meta.getOrDefault("scale", "0"));
                return new DecimalType(Math.min(precision, DecimalType.MAX_PRECISION), scale);
            default:
                break;
        }
        if (!enclosing.add(full)) {
            throw new ProtoException("field " + name + " has the recursive type " + full + ", which a column cannot hold");
        }
        ProtoMessage m = schema.message(full);
        List<Column> fields = new ArrayList<>();
        for (ProtoField f : m.fields()) {
            fields.add(new Column(f.name(), sqlType(schema, f, enclosing)));
        }
        enclosing.remove(full);
        return new StructType(fields);
    }

    private static ScalarType scalar(Kind kind) {
        return switch (kind) {
            case DOUBLE, FLOAT -> ScalarType.DOUBLE;
            case INT32, SINT32, SFIXED32 -> ScalarType.INTEGER;
            case INT64, SINT64, SFIXED64, UINT32, UINT64, FIXED32, FIXED64 -> ScalarType.BIGINT;
            case BOOL -> ScalarType.BOOLEAN;
            case STRING -> ScalarType.VARCHAR;
            case BYTES -> ScalarType.BYTES;
        };
    }
}

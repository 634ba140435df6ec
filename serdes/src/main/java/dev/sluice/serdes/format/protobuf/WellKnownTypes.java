package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoField.Label;
import dev.sluice.serdes.format.protobuf.ProtoType.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The message types outside a schema that ksqlDB's schemas use: the wrappers
 * ({@code google.protobuf.Int32Value}, …: nullable scalars), {@code google.protobuf.Timestamp},
 * {@code google.type.Date}, {@code google.type.TimeOfDay} and {@code confluent.type.Decimal}
 * (big-endian two's-complement unscaled value, precision, scale).
 */
public final class WellKnownTypes {
    public static final String TIMESTAMP = "google.protobuf.Timestamp";
    public static final String DATE = "google.type.Date";
    public static final String TIME_OF_DAY = "google.type.TimeOfDay";
    public static final String DECIMAL = "confluent.type.Decimal";

    /** Wrapper message name → the scalar kind of its {@code value} field. */
    public static final Map<String, Kind> WRAPPERS = Map.of(
            "google.protobuf.DoubleValue", Kind.DOUBLE, "google.protobuf.FloatValue", Kind.FLOAT,
            "google.protobuf.Int64Value", Kind.INT64, "google.protobuf.UInt64Value", Kind.UINT64,
            "google.protobuf.Int32Value", Kind.INT32, "google.protobuf.UInt32Value", Kind.UINT32,
            "google.protobuf.BoolValue", Kind.BOOL, "google.protobuf.StringValue", Kind.STRING,
            "google.protobuf.BytesValue", Kind.BYTES);

    static final List<ProtoMessage> MESSAGES;

    static {
        List<ProtoMessage> all = new ArrayList<>();
        WRAPPERS.forEach((name, kind) -> all.add(message(name, field("value", 1, kind))));
        all.add(message(TIMESTAMP, field("seconds", 1, Kind.INT64), field("nanos", 2, Kind.INT32)));
        all.add(message(DATE, field("year", 1, Kind.INT32), field("month", 2, Kind.INT32), field("day", 3, Kind.INT32)));
        all.add(message(TIME_OF_DAY, field("hours", 1, Kind.INT32), field("minutes", 2, Kind.INT32),
                field("seconds", 3, Kind.INT32), field("nanos", 4, Kind.INT32)));
        all.add(message(DECIMAL, field("value", 1, Kind.BYTES), field("precision", 2, Kind.UINT32),
                field("scale", 3, Kind.INT32)));
        MESSAGES = List.copyOf(all);
    }

    private WellKnownTypes() {
    }

    public static boolean isWellKnown(String fullName) {
        return WRAPPERS.containsKey(fullName) || fullName.equals(TIMESTAMP) || fullName.equals(DATE)
                || fullName.equals(TIME_OF_DAY) || fullName.equals(DECIMAL);
    }

    /** The file a schema imports to use {@code fullName}. */
    static String importFor(String fullName) {
        if (WRAPPERS.containsKey(fullName)) {
            return "google/protobuf/wrappers.proto";
        }
        return switch (fullName) {
            case TIMESTAMP -> "google/protobuf/timestamp.proto";
            case DATE -> "google/type/date.proto";
            case TIME_OF_DAY -> "google/type/timeofday.proto";
            case DECIMAL -> "confluent/type/decimal.proto";
            default -> null;
        };
    }

    /** Whether an import names one of these files (they are built in, not fetched). */
    static boolean isBuiltInImport(String file) {
        return file.startsWith("google/protobuf/") || file.startsWith("google/type/") || file.startsWith("confluent/");
    }

    private static ProtoMessage message(String name, ProtoField... fields) {
        return new ProtoMessage(name, List.of(fields), List.of(), List.of());
    }

    private static ProtoField field(String name, int number, Kind kind) {
        return new ProtoField(name, number, Label.SINGULAR, new ProtoType.Scalar(kind), Map.of());
    }
}

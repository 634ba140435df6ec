package dev.sluice.serdes.format;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.format.avro.AvroRowFormat;
import dev.sluice.serdes.format.custom.UserSerdes;
import dev.sluice.serdes.format.delimited.DelimitedFormat;
import dev.sluice.serdes.format.json.JsonRowFormat;
import dev.sluice.serdes.format.kafka.KafkaPrimitiveFormat;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one place that turns a source's or sink's {@code WITH (...)} options into row serdes.
 *
 * <p>Value: a user class in {@code 'value.serde'}, {@code 'value_serde'} or {@code 'deserializer_class'}
 * wins; else the format named by {@code value_format} / {@code value.format}, else {@code format};
 * default {@code json}. Key: {@code 'key.serde'} / {@code 'key_serde'}, else {@code key_format} /
 * {@code key.format}; default {@code kafka} for one column of a KAFKA type, {@code json} otherwise.
 * Option keys and format names are case-insensitive. Key and value formats are independent.
 *
 * <p>Formats are found by name in a registry filled here and by {@link ServiceLoader} (a jar that ships
 * a {@code META-INF/services/dev.sluice.serdes.format.RowFormat} entry adds its format).
 */
public final class Formats {
    private static final Map<String, RowFormat> REGISTRY = new TreeMap<>();

    static {
        register(JsonRowFormat.json(), "jsonl");
        register(JsonRowFormat.jsonStrict());
        register(new KafkaPrimitiveFormat("kafka"), "string");
        register(new dev.sluice.serdes.format.kafka.NoneFormat());
        register(new DelimitedFormat(), "csv");
        register(new AvroRowFormat());
        register(dev.sluice.serdes.format.protobuf.ProtobufRowFormat.withRegistry());
        register(dev.sluice.serdes.format.protobuf.ProtobufRowFormat.noRegistry());
        for (RowFormat f : ServiceLoader.load(RowFormat.class, Formats.class.getClassLoader())) {
            REGISTRY.putIfAbsent(f.name(), f);
        }
    }

    private Formats() {
    }

    /** Adds (or replaces) a format under its name and {@code aliases}. */
    public static synchronized void register(RowFormat format, String... aliases) {
        REGISTRY.put(format.name().toLowerCase(java.util.Locale.ROOT), format);
        for (String alias : aliases) {
            REGISTRY.put(alias.toLowerCase(java.util.Locale.ROOT), format);
        }
    }

    public static synchronized Optional<RowFormat> lookup(String name) {
        return Optional.ofNullable(REGISTRY.get(OptionKeys.normalizedName(name)));
    }

    /** Names (and aliases) accepted in {@code format = '...'}, sorted. */
    public static synchronized java.util.List<String> names() {
        return java.util.List.copyOf(REGISTRY.keySet());
    }

    /** Names accepted in {@code format = '...'}, for messages and documentation. */
    public static synchronized String knownNames() {
        return String.join(", ", REGISTRY.keySet());
    }

    public static Serde<Row> valueSerde(Schema schema, FormatOptions options) {
        return valueSerde(schema, options, ReadFields.ALL);
    }

    /** A value serde that needs to build only {@code read} of each row (see {@link RowFormat#valueSerde}). */
    public static Serde<Row> valueSerde(Schema schema, FormatOptions options, ReadFields read) {
        for (String key : new String[] {"value.serde", "value_serde", "deserializer_class", "value.deserializer"}) {
            Optional<String> cls = OptionKeys.find(options, key);
            if (cls.isPresent()) {
                return UserSerdes.adapt(cls.get(), key, schema, options, false);
            }
        }
        if (read.isAll()) {
            return format(valueFormatName(options), schema, options, false);
        }
        return lookupFormat(valueFormatName(options), false).valueSerde(schema, options, read);
    }

    public static Serde<Row> keySerde(Schema keySchema, FormatOptions options) {
        for (String key : new String[] {"key.serde", "key_serde", "key_deserializer_class", "key.deserializer"}) {
            Optional<String> cls = OptionKeys.find(options, key);
            if (cls.isPresent()) {
                return UserSerdes.adapt(cls.get(), key, keySchema, options, true);
            }
        }
        if (keySchema.size() == 0) {
            return noKey();
        }
        return format(keyFormatName(keySchema, options), keySchema, options, true);
    }

    /** Rows on repartition and changelog topics, which only Sluice reads. */
    public static Serde<Row> internalSerde(Schema schema) {
        return new BinaryRowSerde(schema);
    }

    public static String valueFormatName(FormatOptions options) {
        return OptionKeys.find(options, "value_format", "value.format", "format")
                .map(OptionKeys::normalizedName).orElse("json");
    }

    public static String keyFormatName(Schema keySchema, FormatOptions options) {
        return OptionKeys.find(options, "key_format", "key.format").map(OptionKeys::normalizedName)
                .orElse(KafkaPrimitiveFormat.fits(keySchema) ? "kafka" : "json");
    }

    private static Serde<Row> format(String name, Schema schema, FormatOptions options, boolean isKey) {
        return lookupFormat(name, isKey).serde(schema, options, isKey);
    }

    private static RowFormat lookupFormat(String name, boolean isKey) {
        if (name.equals("custom")) {
            throw new IllegalArgumentException("format 'custom' needs the class to use: "
                    + (isKey ? "'key.serde'" : "'value.serde' or 'deserializer_class'") + " = 'com.example.MySerde'");
        }
        return lookup(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + (isKey ? "key " : "") + "format '" + name + "'; known formats: " + knownNames()
                        + ", or name a Serde class with '" + (isKey ? "key" : "value") + ".serde'"));
    }

    /** Streams without a key: keys are not read, and written as null. */
    private static Serde<Row> noKey() {
        return Serdes.serdeFrom((topic, row) -> null, (topic, data) -> Row.EMPTY);
    }
}

package dev.sluice.serdes.format.custom;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.json.JsonRowFormat;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A user's own {@link Serde}, {@link Deserializer} or {@link Serializer} named by class in
 * {@code WITH ('value.serde' = 'com.example.MySerde')}, adapted to rows. Reflection runs once, here;
 * per record only the adaptation below runs.
 *
 * <p>Reading: a {@link String} fills a single VARCHAR column, else is parsed as JSON text; {@code byte[]}
 * fills a single BYTES column, else is read as UTF-8 JSON; a {@link Map}, an Avro
 * {@code GenericRecord}, a Jackson node or any bean fills columns by field name (case-insensitive);
 * any other value fills a single-column schema. Writing: a one-column row is handed over as its value,
 * a wider row as a {@code Map} of column name → value.
 *
 * <p>The serde is configured with the source's {@code WITH} properties, plus
 * {@code schema.registry.url} copied from {@code schema_registry_url} so Confluent's serdes find it.
 */
public final class UserSerdes {
    private UserSerdes() {
    }

    public static Serde<Row> adapt(String className, String optionKey, Schema schema, FormatOptions options, boolean isKey) {
        Object instance = instantiate(className.trim(), optionKey);
        Map<String, Object> config = new HashMap<>(options.properties());
        options.properties().forEach((k, v) -> {
            if (k.equalsIgnoreCase("schema_registry_url")) {
                config.putIfAbsent("schema.registry.url", v);
            }
        });
        Serializer<Object> ser = null;
        Deserializer<Object> de = null;
        if (instance instanceof Serde<?> serde) {
            serde.configure(config, isKey);
            ser = cast(serde.serializer());
            de = cast(serde.deserializer());
        } else if (instance instanceof Deserializer<?> d) {
            d.configure(config, isKey);
            de = cast(d);
        } else if (instance instanceof Serializer<?> s) {
            s.configure(config, isKey);
            ser = cast(s);
        } else {
            throw new IllegalArgumentException(optionKey + " '" + className + "' is not a Kafka Serde, Serializer or Deserializer");
        }
        return Serdes.serdeFrom(rowSerializer(ser, className, schema), rowDeserializer(de, className, schema));
    }

    /**
     * The user's deserializer as compile-time sampling uses it: each record's bytes become the JSON
     * text of what the class returned (a {@code Map}, a bean, an Avro {@code GenericRecord}, a Jackson
     * node, a JSON {@code String} or UTF-8 JSON bytes), from which the columns are inferred as from a
     * JSON topic. A record the class throws on is left out of the sample (the exception propagates).
     */
    public static java.util.function.Function<byte[], String> sampler(String className, String optionKey,
                                                                      FormatOptions options) {
        Object instance = instantiate(className.trim(), optionKey);
        Map<String, Object> config = new HashMap<>(options.properties());
        Deserializer<Object> de;
        if (instance instanceof Serde<?> serde) {
            serde.configure(config, false);
            de = cast(serde.deserializer());
        } else if (instance instanceof Deserializer<?> d) {
            d.configure(config, false);
            de = cast(d);
        } else {
            throw new IllegalArgumentException(optionKey + " '" + className + "' is not a Kafka Serde or Deserializer");
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return bytes -> {
            Object value = de.deserialize(options.topic(), bytes);
            if (value == null) {
                return null;
            }
            if (value instanceof String text) {
                return text;
            }
            if (value instanceof byte[] b) {
                return new String(b, StandardCharsets.UTF_8);
            }
            if (value instanceof org.apache.avro.generic.GenericContainer avro) {
                return org.apache.avro.generic.GenericData.get().toString(avro);
            }
            try {
                return json.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SerializationException(className + " returned a " + value.getClass().getName()
                        + " that is not a Map, bean, Avro record or JSON: " + e.getOriginalMessage());
            }
        };
    }

    private static Object instantiate(String className, String optionKey) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = UserSerdes.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(optionKey + " class '" + className
                    + "' is not on the classpath: add the jar that contains it");
        }
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(optionKey + " class '" + className + "' has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(optionKey + " class '" + className + "' failed in its constructor: "
                    + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(optionKey + " class '" + className + "' cannot be instantiated: " + e);
        }
    }

    private static Deserializer<Row> rowDeserializer(Deserializer<Object> de, String className, Schema schema) {
        if (de == null) {
            return (topic, data) -> {
                throw new SerializationException(className + " is a Serializer only; it cannot read topic " + topic);
            };
        }
        boolean oneColumn = schema.size() == 1;
        boolean singleText = oneColumn && schema.type(0) == ScalarType.VARCHAR;
        boolean singleBytes = oneColumn && schema.type(0) == ScalarType.BYTES;
        Deserializer<Row> json = JsonRowFormat.json().deserializer(schema, false);
        return new Deserializer<>() {
            @Override
            public Row deserialize(String topic, byte[] data) {
                return adapt(topic, de.deserialize(topic, data));
            }

            @Override
            public Row deserialize(String topic, org.apache.kafka.common.header.Headers headers, byte[] data) {
                return adapt(topic, de.deserialize(topic, headers, data));
            }

            private Row adapt(String topic, Object value) {
                if (value == null) {
                    return null;
                }
                if (value instanceof Row r) {
                    return r;
                }
                if (value instanceof String s) {
                    return singleText ? Row.of(s) : json.deserialize(topic, s.getBytes(StandardCharsets.UTF_8));
                }
                if (value instanceof byte[] b) {
                    if (singleBytes) {
                        return Row.of((Object) b);
                    }
                    return singleText ? Row.of(new String(b, StandardCharsets.UTF_8)) : json.deserialize(topic, b);
                }
                if (oneColumn && isScalar(value)) {
                    return Row.of(JavaValues.coerce(value, schema.type(0), schema.column(0).name()));
                }
                return JavaValues.toRow(value, schema.columns(), "");
            }

            @Override
            public void close() {
                de.close();
            }
        };
    }

    private static Serializer<Row> rowSerializer(Serializer<Object> ser, String className, Schema schema) {
        if (ser == null) {
            return (topic, row) -> {
                throw new SerializationException(className + " is a Deserializer only; it cannot write topic " + topic);
            };
        }
        boolean oneColumn = schema.size() == 1;
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Row row) {
                return row == null ? ser.serialize(topic, null) : ser.serialize(topic, toObject(row));
            }

            @Override
            public byte[] serialize(String topic, org.apache.kafka.common.header.Headers headers, Row row) {
                return row == null ? ser.serialize(topic, headers, null) : ser.serialize(topic, headers, toObject(row));
            }

            private Object toObject(Row row) {
                return oneColumn ? row.get(0) : JavaValues.toMap(row, schema.columns());
            }

            @Override
            public void close() {
                ser.close();
            }
        };
    }

    private static boolean isScalar(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof CharSequence
                || v instanceof java.time.temporal.Temporal || v instanceof java.util.Date;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}

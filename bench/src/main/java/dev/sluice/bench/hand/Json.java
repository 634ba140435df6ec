package dev.sluice.bench.hand;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON serde a Kafka Streams developer writes by hand: one shared Jackson ObjectMapper, POJOs with
 * public fields, unknown fields ignored. Used for values, keys, repartition topics and state alike.
 */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final DateTimeFormatter INPUT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter OUTPUT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    public static <T> Serde<T> serde(Class<T> type) {
        Serializer<T> ser = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        };
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }

    /** Keys and rows as ordered maps, for the places where a POJO would be one use only. */
    @SuppressWarnings("unchecked")
    public static Serde<java.util.Map<String, Object>> mapSerde() {
        return (Serde<java.util.Map<String, Object>>) (Serde<?>) serde(java.util.LinkedHashMap.class);
    }

    /** A window's output key: the group column and the window start, as Sluice keys windowed rows. */
    public static java.util.Map<String, Object> windowKey(String groupColumn, Object group, long start) {
        java.util.Map<String, Object> key = new java.util.LinkedHashMap<>(4);
        key.put(groupColumn, group);
        key.put("window_start", formatTime(start));
        return key;
    }

    /** The input's {@code 2024-01-15 10:00:05.000} (UTC) as epoch millis. */
    public static long parseTime(String text) {
        return LocalDateTime.parse(text, INPUT_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Epoch millis as {@code 2024-01-15T10:00:05.000Z}, the form Sluice writes TIMESTAMP columns in. */
    public static String formatTime(long epochMillis) {
        return OUTPUT_TIME.format(java.time.Instant.ofEpochMilli(epochMillis));
    }
}

package dev.sluice.connect.transforms;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.Transformation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debezium's change event in the shape seed 001 reads: {@code op} (c, u, d, r) becomes
 * {@code operation} (INSERT, UPDATE, DELETE; a snapshot read is an INSERT), first in the row;
 * {@code before}, {@code after}, {@code source}, {@code transaction} and {@code ts_ms} stay as they are.
 * Tombstones (null values after a delete) pass through untouched.
 */
public final class DebeziumOperation<R extends ConnectRecord<R>> implements Transformation<R> {

    static String operation(Object op) {
        if (op == null) {
            return null;
        }
        return switch (op.toString()) {
            case "c", "r" -> "INSERT";
            case "u" -> "UPDATE";
            case "d" -> "DELETE";
            case "t" -> "TRUNCATE";
            default -> op.toString();
        };
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value instanceof Struct s && s.schema().field("op") != null) {
            SchemaBuilder b = SchemaBuilder.struct().name(s.schema().name() == null ? "change" : s.schema().name() + ".sluice")
                    .optional();
            b.field("operation", Schema.OPTIONAL_STRING_SCHEMA);
            for (Field f : s.schema().fields()) {
                if (!f.name().equals("op")) {
                    b.field(f.name(), f.schema());
                }
            }
            Schema schema = b.build();
            Struct out = new Struct(schema);
            out.put("operation", operation(s.get("op")));
            for (Field f : s.schema().fields()) {
                if (!f.name().equals("op")) {
                    out.put(f.name(), s.get(f));
                }
            }
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), schema,
                    out, record.timestamp());
        }
        if (value instanceof Map<?, ?> m && m.containsKey("op")) {
            Map<Object, Object> out = new LinkedHashMap<>();
            out.put("operation", operation(m.get("op")));
            m.forEach((k, v) -> {
                if (!"op".equals(k)) {
                    out.put(k, v);
                }
            });
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), null,
                    out, record.timestamp());
        }
        return record;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}

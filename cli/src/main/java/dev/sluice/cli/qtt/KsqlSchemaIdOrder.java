package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ids ksqlDB's QTT runner gives the schemas it registers before a case runs, so that a case's
 * {@code VALUE_SCHEMA_ID=2} names the schema it names in ksqlDB. That runner collects the case's
 * topics by name in a {@link HashMap} (the declared {@code topics}, then each CREATE STREAM/TABLE
 * with columns, whose schema-registry formats give the topic a schema built from the columns unless
 * the topic declares one) and registers, in the map's order, each topic's key schema then its value
 * schema, ids counting from 1. Sluice registers only the declared schemas (a source's own is
 * registered when it is first written); the ids the statements' schemas took are skipped.
 */
final class KsqlSchemaIdOrder {
    private static final Set<String> INFERRING = Set.of("AVRO", "PROTOBUF", "JSON_SR");

    private KsqlSchemaIdOrder() {
    }

    /** Which sides of a topic have a schema: declared in the case, or built from a statement's columns. */
    private record Slot(boolean declaredKey, boolean declaredValue, boolean statementKey, boolean statementValue) {
        boolean key() {
            return declaredKey || statementKey;
        }

        boolean value() {
            return declaredValue || statementValue;
        }
    }

    /** Subject → id for every declared schema of {@code topics}. */
    static Map<String, Integer> ids(List<JsonNode> topics, List<String> statements, Map<String, String> settings) {
        Map<String, Slot> byName = new HashMap<>();
        for (JsonNode topic : topics) {
            byName.put(topic.path("name").asText(), new Slot(present(topic.get("keySchema")),
                    present(topic.get("valueSchema")), false, false));
        }
        for (String sql : statements) {
            Statement statement;
            try {
                statement = SqlParser.parseStatement(sql);
            } catch (RuntimeException e) {
                continue; // ksqlDB's runner skips what it cannot parse, too
            }
            if (!(statement instanceof Statement.CreateSource create) || create.columns().isEmpty()) {
                continue;
            }
            Map<String, String> with = new HashMap<>();
            for (Property p : create.properties()) {
                with.put(p.key().toLowerCase(Locale.ROOT), text(p.value()));
            }
            String topic = with.getOrDefault("kafka_topic", create.name().simpleName());
            String keyFormat = format(with, "key_format", settings.getOrDefault("ksql.persistence.default.format.key", "KAFKA"));
            String valueFormat = format(with, "value_format", settings.getOrDefault("ksql.persistence.default.format.value", ""));
            boolean keyColumns = create.columns().stream().anyMatch(c -> c.key() || c.primaryKey());
            boolean valueColumns = create.columns().stream().anyMatch(KsqlSchemaIdOrder::isValueColumn);
            boolean key = keyColumns && INFERRING.contains(keyFormat);
            boolean value = valueColumns && INFERRING.contains(valueFormat);
            byName.compute(topic, (name, slot) -> slot == null ? new Slot(false, false, key, value)
                    : new Slot(slot.declaredKey(), slot.declaredValue(), key, value));
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        int next = 1;
        for (Map.Entry<String, Slot> e : byName.entrySet()) {
            Slot slot = e.getValue();
            if (slot.key()) {
                if (slot.declaredKey()) {
                    ids.put(e.getKey() + "-key", next);
                }
                next++;
            }
            if (slot.value()) {
                if (slot.declaredValue()) {
                    ids.put(e.getKey() + "-value", next);
                }
                next++;
            }
        }
        return ids;
    }

    private static boolean present(JsonNode schema) {
        return schema != null && !schema.isNull();
    }

    private static String format(Map<String, String> with, String side, String otherwise) {
        String value = with.containsKey(side) ? with.get(side) : with.getOrDefault("format", otherwise);
        return value.trim().toUpperCase(Locale.ROOT);
    }

    private static String text(Expression e) {
        if (e instanceof Expression.StringLiteral s) {
            return s.value();
        }
        return e.toString();
    }

    private static boolean isValueColumn(ColumnDefinition c) {
        return !c.key() && !c.primaryKey() && c.header().isEmpty();
    }
}

package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The SQL type of a JSON Schema document, as a Schema Registry holds it for {@code JSON_SR} topics
 * (written by Confluent's JSON Schema serializer, or by hand). Read the way ksqlDB infers columns:
 * {@code oneOf [null, X]} is a nullable X; {@code integer} is BIGINT unless {@code connect.type} says
 * a narrower int ({@code int8/16/32}: INTEGER); {@code number} is DOUBLE, or DECIMAL when titled
 * Connect's Decimal (precision and scale from {@code connect.parameters}); Connect's Timestamp, Date
 * and Time titles are TIMESTAMP, DATE and TIME; a string with {@code connect.type bytes} is BYTES; an
 * object with {@code properties} is a STRUCT (fields in {@code connect.index} order when given, else as
 * written), one with only {@code additionalProperties} (or {@code connect.type map}) a MAP keyed by
 * VARCHAR. Every field is nullable, as JSON makes no promise that a field is present.
 */
public final class JsonSchemaColumns {
    private static final String CONNECT_PREFIX = "org.apache.kafka.connect.data.";

    private JsonSchemaColumns() {
    }

    /** The type of the schema text; an object schema is a STRUCT whose fields are the record's columns. */
    public static SqlType typeOf(String schemaText) {
        JsonNode root;
        try {
            root = JsonRowFormat.MAPPER.readTree(schemaText);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON schema: " + e.getMessage());
        }
        return type(root, "the schema");
    }

    /** Whether the schema describes an object with named fields (a record), rather than one anonymous value. */
    public static boolean isRecord(SqlType type) {
        return type instanceof StructType;
    }

    private static SqlType type(JsonNode node, String where) {
        if (node == null || node.isBoolean()) {
            throw new IllegalArgumentException(where + " has no type");
        }
        JsonNode union = node.has("oneOf") ? node.get("oneOf") : node.get("anyOf");
        if (union != null && union.isArray()) {
            List<JsonNode> nonNull = new ArrayList<>();
            union.forEach(n -> {
                if (!"null".equals(n.path("type").asText())) {
                    nonNull.add(n);
                }
            });
            if (nonNull.size() != 1) {
                throw new IllegalArgumentException(where + " is a union of " + nonNull.size()
                        + " types; only a single type, optionally with null, has a SQL type");
            }
            return type(nonNull.get(0), where);
        }
        JsonNode typeNode = node.get("type");
        String type;
        if (typeNode != null && typeNode.isArray()) {
            List<String> nonNull = new ArrayList<>();
            typeNode.forEach(t -> {
                if (!t.asText().equals("null")) {
                    nonNull.add(t.asText());
                }
            });
            if (nonNull.size() != 1) {
                throw new IllegalArgumentException(where + " has types " + nonNull + "; only one, optionally with null, has a SQL type");
            }
            type = nonNull.get(0);
        } else if (typeNode != null) {
            type = typeNode.asText();
        } else if (node.has("properties")) {
            type = "object";
        } else {
            throw new IllegalArgumentException(where + " has no type");
        }
        String title = node.path("title").asText("");
        String connectType = node.path("connect.type").asText("");
        return switch (type) {
            case "integer" -> switch (title) {
                case CONNECT_PREFIX + "Timestamp" -> ScalarType.TIMESTAMP;
                case CONNECT_PREFIX + "Date" -> ScalarType.DATE;
                case CONNECT_PREFIX + "Time" -> ScalarType.TIME;
                default -> connectType.equals("int8") || connectType.equals("int16") || connectType.equals("int32")
                        ? ScalarType.INTEGER : ScalarType.BIGINT;
            };
            case "number" -> title.equals(CONNECT_PREFIX + "Decimal") ? decimal(node, where) : ScalarType.DOUBLE;
            case "string" -> connectType.equals("bytes") ? ScalarType.BYTES : ScalarType.VARCHAR;
            case "boolean" -> ScalarType.BOOLEAN;
            case "array" -> new ArrayType(type(node.get("items"), where + "'s items"));
            case "object" -> object(node, where);
            default -> throw new IllegalArgumentException(where + " has type '" + type + "', which has no SQL type");
        };
    }

    private static SqlType decimal(JsonNode node, String where) {
        JsonNode parameters = node.path("connect.parameters");
        try {
            int scale = Integer.parseInt(parameters.path("scale").asText("0"));
            int precision = Integer.parseInt(parameters.path("connect.decimal.precision").asText("64"));
            return new DecimalType(precision, scale);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is a Decimal without a whole-number precision and scale");
        }
    }

    private static SqlType object(JsonNode node, String where) {
        JsonNode properties = node.get("properties");
        boolean isMap = node.path("connect.type").asText("").equals("map")
                || (properties == null || properties.isEmpty()) && node.path("additionalProperties").isObject();
        if (isMap) {
            return new MapType(ScalarType.VARCHAR, type(node.get("additionalProperties"), where + "'s values"));
        }
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        if (properties != null) {
            properties.fields().forEachRemaining(fields::add);
        }
        // Connect writes each field's position; List.sort is stable, so fields without one keep their order
        fields.sort(Comparator.comparingInt(f -> f.getValue().path("connect.index").asInt(Integer.MAX_VALUE)));
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : fields) {
            columns.add(new Column(f.getKey(), type(f.getValue(), "field '" + f.getKey() + "'"), true));
        }
        return new StructType(columns);
    }
}

package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses a row's JSON so that a DECIMAL column's number stays a {@link JsonNode#isBigDecimal()} node
 * with the scale it was written with (3.40 stays 3.40), while every other fractional number is a
 * double as usual. ksqlDB compares an expected decimal written as text ("3.40") with the value's
 * scale, so whoever compares needs the scale and needs to know the number was a DECIMAL.
 */
final class ExactDecimals {
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private ExactDecimals() {
    }

    static JsonNode parse(byte[] json, Schema schema) {
        try {
            return retype(EXACT.readTree(json), new StructType(schema.columns()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node} with its exact numbers turned back into doubles except where {@code type} is a DECIMAL. */
    private static JsonNode retype(JsonNode node, SqlType type) {
        if (node.isBigDecimal()) {
            return type instanceof DecimalType ? node : DoubleNode.valueOf(node.doubleValue());
        }
        if (node instanceof ArrayNode array) {
            SqlType element = type instanceof ArrayType a ? a.element() : null;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, retype(array.get(i), element));
            }
        } else if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(retype(e.getValue(), memberType(type, e.getKey())));
            }
        }
        return node;
    }

    private static SqlType memberType(SqlType type, String name) {
        if (type instanceof MapType m) {
            return m.value();
        }
        if (type instanceof StructType s) {
            List<Column> fields = s.fields();
            for (Column c : fields) {
                if (c.name().equals(name)) {
                    return c.type();
                }
            }
            for (Column c : fields) {
                if (c.name().equalsIgnoreCase(name)) {
                    return c.type();
                }
            }
        }
        return null;
    }
}

package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.format.text.Temporals;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link JsonValueReader} for a type. Lenient mode (the default) takes what JSON producers
 * commonly send: numbers as strings, integral floats ({@code 3.0}) in integer columns, any scalar or
 * nested JSON as text in a VARCHAR column. Strict mode takes only the JSON type that matches the
 * column (a number for numbers, a string for VARCHAR, a string or integer for TIMESTAMP and DATE).
 */
final class JsonReaders {
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private JsonReaders() {
    }

    static JsonValueReader forType(SqlType type, String path, boolean strict) {
        return forType(type, path, strict, ReadFields.ALL);
    }

    /** {@code read}: for a ROW, the fields to build (the others are skipped); other types are read whole. */
    static JsonValueReader forType(SqlType type, String path, boolean strict, ReadFields read) {
        if (type instanceof DecimalType d) {
            return decimal(d, path, strict);
        }
        if (type instanceof ArrayType a) {
            return array(a, path, strict);
        }
        if (type instanceof MapType m) {
            return map(m, path, strict);
        }
        if (type instanceof StructType st) {
            JsonObjectReader fields = new JsonObjectReader(st.fields(), path + ".", strict, read);
            return p -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw mismatch(path, type, p);
                }
                return fields.read(p);
            };
        }
        ScalarType s = (ScalarType) type;
        return switch (s) {
            case VARCHAR -> varchar(path, strict);
            case BOOLEAN -> p -> {
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return t == JsonToken.VALUE_TRUE;
                }
                return fromString(p, s, path, strict);
            };
            case INTEGER -> p -> {
                if (p.currentToken().isNumeric()) {
                    BigInteger v = integral(p, s, path, strict);
                    if (v == null) {
                        return p.getIntValue();
                    }
                    if (v.compareTo(INT_MIN) < 0 || v.compareTo(INT_MAX) > 0) {
                        throw new SerializationException("field " + path + ": expected INTEGER, got " + p.getText()
                                + " (out of range)");
                    }
                    return v.intValue();
                }
                return fromString(p, s, path, strict);
            };
            case BIGINT, INTERVAL -> p -> {
                if (p.currentToken().isNumeric()) {
                    BigInteger v = integral(p, s, path, strict);
                    if (v == null) {
                        return p.getLongValue();
                    }
                    if (v.bitLength() > 63) {
                        throw new SerializationException("field " + path + ": expected " + s.sql() + ", got "
                                + p.getText() + " (out of range)");
                    }
                    return v.longValue();
                }
                return fromString(p, s, path, strict);
            };
            case DOUBLE -> p -> {
                if (p.currentToken().isNumeric()) {
                    return p.getDoubleValue();
                }
                return fromString(p, s, path, strict);
            };
            case TIMESTAMP, TIMESTAMP_LTZ -> p -> {
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    return p.getLongValue();
                }
                if (t == JsonToken.VALUE_STRING) {
                    try {
                        return Temporals.parseTimestamp(p.getText());
                    } catch (IllegalArgumentException e) {
                        throw mismatch(path, s, p);
                    }
                }
                throw mismatch(path, s, p);
            };
            case DATE -> p -> {
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    return p.getIntValue();
                }
                if (t == JsonToken.VALUE_STRING) {
                    try {
                        return Temporals.parseDate(p.getText());
                    } catch (IllegalArgumentException e) {
                        throw mismatch(path, s, p);
                    }
                }
                throw mismatch(path, s, p);
            };
            case TIME -> p -> {
                JsonToken t = p.currentToken();
                try {
                    if (t == JsonToken.VALUE_NUMBER_INT) {
                        return Temporals.checkTime(p.getLongValue());
                    }
                    if (t == JsonToken.VALUE_STRING) {
                        return Temporals.parseTime(p.getText());
                    }
                } catch (IllegalArgumentException e) {
                    throw mismatch(path, s, p);
                }
                throw mismatch(path, s, p);
            };
            case BYTES -> p -> {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    throw mismatch(path, s, p);
                }
                try {
                    return p.getBinaryValue();
                } catch (IOException | IllegalArgumentException e) {
                    throw new SerializationException("field " + path + ": expected BYTES (base64), got "
                            + JsonErrors.render(p));
                }
            };
            case VARIANT -> p -> p.readValueAsTree();
            case NULL -> p -> {
                p.skipChildren();
                return null;
            };
        };
    }

    private static JsonValueReader varchar(String path, boolean strict) {
        return p -> {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (strict) {
                throw mismatch(path, ScalarType.VARCHAR, p);
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                // nested JSON in a text column stays JSON text, so `->`/`->>` can still reach into it
                JsonNode node = p.readValueAsTree();
                return node.toString();
            }
            return p.getText();
        };
    }

    private static JsonValueReader decimal(DecimalType d, String path, boolean strict) {
        return p -> {
            BigDecimal v;
            JsonToken t = p.currentToken();
            if (t.isNumeric()) {
                v = p.getDecimalValue();
            } else if (t == JsonToken.VALUE_STRING && !strict) {
                try {
                    v = TextValues.parseDecimal(p.getText());
                } catch (IllegalArgumentException e) {
                    throw mismatch(path, d, p);
                }
            } else {
                throw mismatch(path, d, p);
            }
            try {
                return TextValues.fitDecimal(v, d);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("field " + path + ": expected " + d.sql() + ", got "
                        + p.getText() + " (" + e.getMessage() + ")");
            }
        };
    }

    private static JsonValueReader array(ArrayType a, String path, boolean strict) {
        JsonValueReader element = forType(a.element(), path + "[]", strict);
        return p -> {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw mismatch(path, a, p);
            }
            List<Object> list = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                list.add(t == JsonToken.VALUE_NULL ? null : element.read(p));
            }
            return list;
        };
    }

    private static JsonValueReader map(MapType m, String path, boolean strict) {
        JsonValueReader value = forType(m.value(), path + "{}", strict);
        boolean textKeys = m.key() == ScalarType.VARCHAR;
        return p -> {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw mismatch(path, m, p);
            }
            Map<Object, Object> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Object key;
                if (textKeys) {
                    key = name;
                } else {
                    try {
                        key = TextValues.parse(m.key(), name);
                    } catch (IllegalArgumentException e) {
                        throw new SerializationException("field " + path + ": map key \"" + name + "\" is not "
                                + m.key().sql() + " (" + e.getMessage() + ")");
                    }
                }
                JsonToken t = p.nextToken();
                map.put(key, t == JsonToken.VALUE_NULL ? null : value.read(p));
            }
            return map;
        };
    }

    /**
     * For an integer column: null when the number is a plain int/long token (the fast path); the exact
     * integral value otherwise (big integers, and lenient {@code 3.0}); a fraction is cut toward zero
     * ({@code -1.7} is -1), as ksqlDB's and Flink's JSON readers read one into an integer column.
     */
    private static BigInteger integral(JsonParser p, ScalarType s, String path, boolean strict) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType nt = p.getNumberType();
            if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG && s != ScalarType.INTEGER) {
                return null;
            }
            return p.getBigIntegerValue();
        }
        if (strict) {
            throw mismatch(path, s, p);
        }
        BigDecimal d = p.getDecimalValue();
        if (d.precision() - d.scale() > 20) { // beyond any BIGINT: refused before 1E999999 becomes a huge integer
            throw mismatch(path, s, p);
        }
        return d.toBigInteger();
    }

    private static Object fromString(JsonParser p, ScalarType s, String path, boolean strict) throws IOException {
        if (strict || p.currentToken() != JsonToken.VALUE_STRING) {
            throw mismatch(path, s, p);
        }
        try {
            return TextValues.parse(s, p.getText());
        } catch (IllegalArgumentException e) {
            throw mismatch(path, s, p);
        }
    }

    static SerializationException mismatch(String path, SqlType type, JsonParser p) {
        return new SerializationException("field " + path + ": expected " + type.sql() + ", got " + JsonErrors.render(p));
    }
}

package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.grammar.SqlException;

import java.util.Map;

/**
 * Replaces bind parameters ({@code :template_id}) with SQL literals of the request's values before
 * the SQL is compiled. A {@code :} right after a name, {@code )} or {@code ]} is a VARIANT path
 * ({@code TEST_CONFIG:template_id}), and {@code ::} a cast; strings, quoted names and comments are
 * copied as they are. A parameter without a value is an error at its position.
 */
final class BindParameters {
    private BindParameters() {
    }

    static String bind(String sql, Map<String, JsonNode> values) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int line = 1;
        int lineStart = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(sql, i, c);
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (c == ':' && isParameterStart(sql, i)) {
                int end = i + 1;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String name = sql.substring(i + 1, end);
                JsonNode value = lookup(values, name);
                if (value == null) {
                    throw new SqlException(line, i - lineStart + 1, "no value for the bind parameter :" + name,
                            "pass it in the request: \"params\": {\"" + name + "\": ...}");
                }
                out.append(literal(value));
                i = end;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static JsonNode lookup(Map<String, JsonNode> values, String name) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static boolean isParameterStart(String sql, int i) {
        if (i + 1 >= sql.length() || !(Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
            return false;
        }
        if (i > 0) {
            char before = sql.charAt(i - 1);
            if (before == ':' || Character.isLetterOrDigit(before) || before == '_' || before == ')' || before == ']'
                    || before == '"' || before == '`') {
                return false;
            }
        }
        return true;
    }

    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    static String literal(JsonNode value) {
        if (value == null || value.isNull()) {
            return "NULL";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "TRUE" : "FALSE";
        }
        if (value.isNumber()) {
            return value.asText();
        }
        return "'" + value.asText().replace("'", "''") + "'";
    }
}

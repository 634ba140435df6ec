package dev.sluice.connect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the connectors: writing flat objects (CSV rows, JDBC rows) and reading
 * flat objects back (the file sink's CSV output). The plugin carries no JSON library so that it
 * cannot clash with the worker's own Jackson.
 */
public final class Json {
    private Json() {
    }

    public static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            value(out, e.getValue());
        }
        return out.append('}').toString();
    }

    private static void value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof RawJson raw) {
            out.append(raw.text());
        } else {
            string(out, v.toString());
        }
    }

    /** Text that is already JSON (a jsonb column) and is written as is. */
    public record RawJson(String text) {
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * The top-level fields of a JSON object, each as its JSON text (strings unquoted and unescaped;
     * nested objects and arrays as their raw text).
     */
    public static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {skip(json, 0)};
        expect(json, pos, '{');
        pos[0] = skip(json, pos[0]);
        if (json.charAt(pos[0]) == '}') {
            return out;
        }
        while (true) {
            pos[0] = skip(json, pos[0]);
            String key = readString(json, pos);
            pos[0] = skip(json, pos[0]);
            expect(json, pos, ':');
            pos[0] = skip(json, pos[0]);
            out.put(key, readValue(json, pos));
            pos[0] = skip(json, pos[0]);
            char c = json.charAt(pos[0]++);
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (pos[0] - 1) + " in " + json);
            }
        }
    }

    /**
     * The elements of a top-level JSON array, each as its raw JSON text (an object stays an object,
     * a string keeps its quotes), so they can be written on as records unchanged.
     */
    public static java.util.List<String> arrayElements(String json) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int[] pos = {skip(json, 0)};
        expect(json, pos, '[');
        pos[0] = skip(json, pos[0]);
        if (pos[0] < json.length() && json.charAt(pos[0]) == ']') {
            return out;
        }
        while (true) {
            pos[0] = skip(json, pos[0]);
            int start = pos[0];
            readValue(json, pos);
            out.add(json.substring(start, pos[0]));
            pos[0] = skip(json, pos[0]);
            if (pos[0] >= json.length()) {
                throw new IllegalArgumentException("unterminated JSON array");
            }
            char c = json.charAt(pos[0]++);
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or ] at " + (pos[0] - 1) + " in a JSON array");
            }
        }
    }

    private static String readValue(String s, int[] pos) {
        char c = s.charAt(pos[0]);
        if (c == '"') {
            return readString(s, pos);
        }
        int start = pos[0];
        if (c == '{' || c == '[') {
            int depth = 0;
            boolean inString = false;
            for (int i = pos[0]; i < s.length(); i++) {
                char d = s.charAt(i);
                if (inString) {
                    if (d == '\\') {
                        i++;
                    } else if (d == '"') {
                        inString = false;
                    }
                } else if (d == '"') {
                    inString = true;
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        pos[0] = i + 1;
                        return s.substring(start, i + 1);
                    }
                }
            }
            throw new IllegalArgumentException("unterminated JSON value in " + s);
        }
        while (pos[0] < s.length() && ",}] \t\n\r".indexOf(s.charAt(pos[0])) < 0) {
            pos[0]++;
        }
        String literal = s.substring(start, pos[0]);
        return literal.equals("null") ? null : literal;
    }

    private static String readString(String s, int[] pos) {
        expect(s, pos, '"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = s.charAt(pos[0]++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char e = s.charAt(pos[0]++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
                        pos[0] += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
    }

    private static void expect(String s, int[] pos, char c) {
        if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + pos[0] + " in " + s);
        }
        pos[0]++;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}

package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoField.Label;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code .proto} text a Schema Registry holds (proto3, or proto2 read with proto3's
 * rules): {@code package}, {@code import}, messages with nested messages and enums, scalar, message,
 * enum and {@code map<K, V>} fields, {@code optional} and {@code repeated}, {@code oneof} (its fields
 * become optional fields of the message), and Confluent's {@code (confluent.field_meta)} parameters.
 * Options, {@code reserved}, {@code extensions} and services are skipped. Imports are resolved from
 * the texts given (schema references), except the well-known files, which are built in.
 */
public final class ProtoParser {
    private final List<String> tokens;
    private int pos;
    private String packageName = "";
    private final List<String> imports = new ArrayList<>();
    private ProtoParser(String text) {
        this.tokens = tokenize(text);
    }

    public static ProtoSchema parse(String text) {
        return parse(text, Map.of());
    }

    /** Parses {@code text}; {@code references} maps an imported file's name to its text. */
    public static ProtoSchema parse(String text, Map<String, String> references) {
        return new ProtoParser(text).file(references, new HashMap<>());
    }

    private ProtoSchema file(Map<String, String> references, Map<String, ProtoSchema> parsed) {
        List<Draft> messages = new ArrayList<>();
        List<ProtoEnum> enums = new ArrayList<>();
        while (pos < tokens.size()) {
            String t = next();
            switch (t) {
                case "syntax", "edition", "option" -> skipStatement();
                case "package" -> {
                    packageName = next();
                    expect(";");
                }
                case "import" -> {
                    String f = next();
                    if (f.equals("public") || f.equals("weak")) {
                        f = next();
                    }
                    imports.add(unquote(f));
                    expect(";");
                }
                case "message" -> messages.add(message(qualify(packageName, next())));
                case "enum" -> enums.add(enumType(qualify(packageName, next())));
                case "service", "extend" -> {
                    next();
                    skipBlock();
                }
                case ";" -> {
                }
                default -> throw error("unexpected '" + t + "'");
            }
        }
        List<ProtoSchema> dependencies = new ArrayList<>();
        for (String imported : imports) {
            if (WellKnownTypes.isBuiltInImport(imported)) {
                continue;
            }
            String text = references.get(imported);
            if (text == null) {
                throw new ProtoException("the schema imports \"" + imported + "\", which is not among its references");
            }
            ProtoSchema dep = parsed.get(imported);
            if (dep == null) {
                dep = new ProtoParser(text).file(references, parsed);
                parsed.put(imported, dep);
            }
            dependencies.add(dep);
        }
        // a first pass without resolved types gives every name; the second builds the messages with them
        ProtoSchema names = new ProtoSchema(packageName, imports, messages.stream().map(d -> d.build(null)).toList(),
                enums, dependencies);
        return new ProtoSchema(packageName, imports, messages.stream().map(d -> d.build(names)).toList(), enums,
                dependencies);
    }

    /** A message whose field types are still names. */
    private record Draft(String fullName, List<DraftField> fields, List<Draft> nested, List<ProtoEnum> enums) {
        ProtoMessage build(ProtoSchema names) {
            List<ProtoField> built = new ArrayList<>();
            for (DraftField f : fields) {
                built.add(new ProtoField(f.name, f.number, f.label, f.resolve(fullName, names), f.meta));
            }
            return new ProtoMessage(fullName, built, nested.stream().map(n -> n.build(names)).toList(), enums);
        }
    }

    private record DraftField(String name, int number, Label label, String typeName, String mapKey,
                              Map<String, String> meta) {
        ProtoType resolve(String scope, ProtoSchema names) {
            if (mapKey != null) {
                ProtoType.Kind k = ProtoType.Kind.named(mapKey);
                if (k == null) {
                    throw new ProtoException("map key type " + mapKey + " of field " + name + " is not a scalar");
                }
                return new ProtoType.MapOf(new ProtoType.Scalar(k), type(typeName, scope, names));
            }
            return type(typeName, scope, names);
        }

        private ProtoType type(String typeName, String scope, ProtoSchema names) {
            ProtoType.Kind k = ProtoType.Kind.named(typeName);
            if (k != null) {
                return new ProtoType.Scalar(k);
            }
            if (names == null) {
                return new ProtoType.MessageRef(typeName);
            }
            if (typeName.startsWith(".")) {
                return known(typeName.substring(1), names);
            }
            // protobuf scoping: the innermost enclosing scope that declares the name wins
            String s = scope;
            while (true) {
                ProtoType found = lookup(s.isEmpty() ? typeName : s + "." + typeName, names);
                if (found != null) {
                    return found;
                }
                if (s.isEmpty()) {
                    break;
                }
                int dot = s.lastIndexOf('.');
                s = dot < 0 ? "" : s.substring(0, dot);
            }
            throw new ProtoException("field " + name + " has type " + typeName + ", which the schema does not define");
        }

        private static ProtoType known(String fullName, ProtoSchema names) {
            ProtoType t = lookup(fullName, names);
            if (t == null) {
                throw new ProtoException("type ." + fullName + " is not defined");
            }
            return t;
        }

        private static ProtoType lookup(String fullName, ProtoSchema names) {
            try {
                names.message(fullName);
                return new ProtoType.MessageRef(fullName);
            } catch (ProtoException notAMessage) {
                try {
                    names.enumType(fullName);
                    return new ProtoType.EnumRef(fullName);
                } catch (ProtoException notAnEnum) {
                    return null;
                }
            }
        }
    }

    private Draft message(String fullName) {
        expect("{");
        List<DraftField> fields = new ArrayList<>();
        List<Draft> nested = new ArrayList<>();
        List<ProtoEnum> enums = new ArrayList<>();
        while (!peek().equals("}")) {
            String t = next();
            switch (t) {
                case "message" -> nested.add(message(fullName + "." + next()));
                case "enum" -> enums.add(enumType(fullName + "." + next()));
                case "option", "reserved", "extensions" -> skipStatement();
                case "extend" -> {
                    next();
                    skipBlock();
                }
                case ";" -> {
                }
                case "oneof" -> {
                    next();
                    expect("{");
                    while (!peek().equals("}")) {
                        if (peek().equals("option")) {
                            next();
                            skipStatement();
                        } else {
                            fields.add(field(next(), Label.OPTIONAL));
                        }
                    }
                    expect("}");
                }
                case "repeated" -> fields.add(field(next(), Label.REPEATED));
                case "optional" -> fields.add(field(next(), Label.OPTIONAL));
                case "required" -> fields.add(field(next(), Label.SINGULAR));
                default -> fields.add(field(t, Label.SINGULAR));
            }
        }
        expect("}");
        return new Draft(fullName, fields, nested, enums);
    }

    private DraftField field(String type, Label label) {
        String mapKey = null;
        if (type.equals("map") && peek().equals("<")) {
            expect("<");
            mapKey = next();
            expect(",");
            type = next();
            expect(">");
        }
        String name = next();
        expect("=");
        int number = number(next());
        Map<String, String> meta = new LinkedHashMap<>();
        if (peek().equals("[")) {
            options(meta);
        }
        expect(";");
        return new DraftField(name, number, label, type, mapKey, meta);
    }

    /** {@code [ ... ]}: keeps the {@code key: "…", value: "…"} pairs of Confluent's field_meta params. */
    private void options(Map<String, String> meta) {
        expect("[");
        int depth = 1;
        String key = null;
        String value = null;
        while (depth > 0) {
            String t = next();
            switch (t) {
                case "[", "{" -> depth += t.equals("[") ? 1 : 0;
                case "]" -> depth--;
                case "}" -> {
                    if (key != null && value != null) {
                        meta.put(key, value);
                    }
                    key = null;
                    value = null;
                }
                case "key", "value" -> {
                    if (peek().equals(":")) {
                        next();
                        String v = unquote(next());
                        if (t.equals("key")) {
                            key = v;
                        } else {
                            value = v;
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    private ProtoEnum enumType(String fullName) {
        expect("{");
        Map<Integer, String> values = new LinkedHashMap<>();
        while (!peek().equals("}")) {
            String t = next();
            if (t.equals("option") || t.equals("reserved")) {
                skipStatement();
                continue;
            }
            if (t.equals(";")) {
                continue;
            }
            expect("=");
            int n = number(next());
            if (peek().equals("[")) {
                options(new HashMap<>());
            }
            expect(";");
            values.putIfAbsent(n, t);
        }
        expect("}");
        return new ProtoEnum(fullName, values);
    }

    private void skipStatement() {
        int depth = 0;
        while (true) {
            String t = next();
            if (t.equals("{") || t.equals("[") || t.equals("(")) {
                depth++;
            } else if (t.equals("}") || t.equals("]") || t.equals(")")) {
                depth--;
            } else if (t.equals(";") && depth == 0) {
                return;
            }
        }
    }

    private void skipBlock() {
        expect("{");
        int depth = 1;
        while (depth > 0) {
            String t = next();
            depth += t.equals("{") ? 1 : t.equals("}") ? -1 : 0;
        }
    }

    private static String qualify(String pkg, String name) {
        return pkg.isEmpty() ? name : pkg + "." + name;
    }

    private int number(String t) {
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw error("expected a number, found '" + t + "'");
        }
    }

    private static String unquote(String t) {
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'')) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new ProtoException("the schema text ends too early");
        }
        return tokens.get(pos++);
    }

    private String peek() {
        if (pos >= tokens.size()) {
            throw new ProtoException("the schema text ends too early");
        }
        return tokens.get(pos);
    }

    private void expect(String t) {
        String got = next();
        if (!got.equals(t)) {
            throw error("expected '" + t + "', found '" + got + "'");
        }
    }

    private ProtoException error(String what) {
        return new ProtoException("cannot read the protobuf schema: " + what + " (token " + pos + ")");
    }

    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c) {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                out.add(text.substring(i, Math.min(j + 1, n)));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || "_.-+".indexOf(text.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(text.substring(i, j));
                i = j;
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }
}

package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.format.protobuf.ProtoField.Label;

/**
 * A schema as {@code .proto} text, laid out as Confluent's registry prints it (two-space indents, a
 * blank line before nested types, field meta as a multi-line option), so that what Sluice registers
 * reads like what ksqlDB registers.
 */
public final class ProtoText {
    private ProtoText() {
    }

    public static String render(ProtoSchema schema) {
        StringBuilder out = new StringBuilder("syntax = \"proto3\";\n");
        if (!schema.packageName().isEmpty()) {
            out.append("package ").append(schema.packageName()).append(";\n");
        }
        out.append('\n');
        if (!schema.imports().isEmpty()) {
            for (String i : schema.imports()) {
                out.append("import \"").append(i).append("\";\n");
            }
            out.append('\n');
        }
        boolean first = true;
        for (ProtoMessage m : schema.messages()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            message(out, m, "", schema.packageName());
        }
        return out.toString();
    }

    private static void message(StringBuilder out, ProtoMessage m, String indent, String scope) {
        out.append(indent).append("message ").append(m.simpleName()).append(" {\n");
        String inner = indent + "  ";
        for (ProtoField f : m.fields()) {
            out.append(inner);
            if (f.label() == Label.REPEATED) {
                out.append("repeated ");
            } else if (f.label() == Label.OPTIONAL) {
                out.append("optional ");
            }
            out.append(typeName(f.type(), m.fullName())).append(' ').append(f.name()).append(" = ").append(f.number());
            if (!f.meta().isEmpty()) {
                out.append(" [(confluent.field_meta) = {\n").append(inner).append("  params: [\n");
                int i = 0;
                for (var e : f.meta().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).toList()) {
                    out.append(inner).append("    {\n")
                            .append(inner).append("      value: \"").append(e.getValue()).append("\",\n")
                            .append(inner).append("      key: \"").append(e.getKey()).append("\"\n")
                            .append(inner).append("    }").append(++i < f.meta().size() ? ",\n" : "\n");
                }
                out.append(inner).append("  ]\n").append(inner).append("}]");
            }
            out.append(";\n");
        }
        for (ProtoEnum e : m.enums()) {
            out.append('\n').append(inner).append("enum ").append(e.fullName().substring(e.fullName().lastIndexOf('.') + 1))
                    .append(" {\n");
            e.values().forEach((n, name) -> out.append(inner).append("  ").append(name).append(" = ").append(n).append(";\n"));
            out.append(inner).append("}\n");
        }
        for (ProtoMessage n : m.nested()) {
            out.append('\n');
            message(out, n, inner, m.fullName());
        }
        out.append(indent).append("}\n");
    }

    /** A type as written inside {@code scope}: nested types by their name relative to it. */
    private static String typeName(ProtoType t, String scope) {
        if (t instanceof ProtoType.MapOf m) {
            return "map<" + m.key().proto() + ", " + typeName(m.value(), scope) + ">";
        }
        String name = t.proto();
        if (name.startsWith(scope + ".")) {
            return name.substring(scope.length() + 1);
        }
        return name;
    }
}

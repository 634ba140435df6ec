package dev.sluice.serdes.format.protobuf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .proto} file as Sluice uses it: its top-level messages (the Confluent wire format's message
 * indexes count them in order) and every message and enum reachable by full name, including those of
 * imported files and the well-known types ({@link WellKnownTypes}).
 */
public final class ProtoSchema {
    private final String packageName;
    private final List<String> imports;
    private final List<ProtoMessage> messages;
    private final List<ProtoEnum> enums;
    private final Map<String, ProtoMessage> messagesByName = new HashMap<>();
    private final Map<String, ProtoEnum> enumsByName = new HashMap<>();

    public ProtoSchema(String packageName, List<String> imports, List<ProtoMessage> messages, List<ProtoEnum> enums,
                       List<ProtoSchema> dependencies) {
        this.packageName = packageName == null ? "" : packageName;
        this.imports = List.copyOf(imports);
        this.messages = List.copyOf(messages);
        this.enums = List.copyOf(enums);
        WellKnownTypes.MESSAGES.forEach(m -> messagesByName.put(m.fullName(), m));
        for (ProtoSchema d : dependencies) {
            messagesByName.putAll(d.messagesByName);
            enumsByName.putAll(d.enumsByName);
        }
        enums.forEach(e -> enumsByName.put(e.fullName(), e));
        messages.forEach(this::index);
    }

    private void index(ProtoMessage m) {
        messagesByName.put(m.fullName(), m);
        m.enums().forEach(e -> enumsByName.put(e.fullName(), e));
        m.nested().forEach(this::index);
    }

    public String packageName() {
        return packageName;
    }

    public List<String> imports() {
        return imports;
    }

    public List<ProtoMessage> messages() {
        return messages;
    }

    public List<ProtoEnum> enums() {
        return enums;
    }

    public ProtoMessage message(String fullName) {
        ProtoMessage m = messagesByName.get(fullName);
        if (m == null) {
            throw new ProtoException("message type " + fullName + " is not defined in the schema");
        }
        return m;
    }

    public ProtoEnum enumType(String fullName) {
        ProtoEnum e = enumsByName.get(fullName);
        if (e == null) {
            throw new ProtoException("enum type " + fullName + " is not defined in the schema");
        }
        return e;
    }

    /** The message the first of the schema's messages is, for writers that name none. */
    public ProtoMessage first() {
        if (messages.isEmpty()) {
            throw new ProtoException("the schema defines no message");
        }
        return messages.get(0);
    }

    /** A message by full or simple name (ksqlDB's {@code VALUE_SCHEMA_FULL_NAME}), searched top-level first. */
    public java.util.Optional<ProtoMessage> find(String name) {
        String qualified = packageName.isEmpty() ? name : packageName + "." + name;
        for (String n : List.of(name, qualified)) {
            ProtoMessage m = messagesByName.get(n);
            if (m != null && !WellKnownTypes.isWellKnown(n)) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }

    /** The Confluent message indexes of {@code m}: its position at top level, then within each enclosing message. */
    public List<Integer> indexesOf(ProtoMessage m) {
        List<Integer> path = new ArrayList<>();
        if (!find(messages, m, path)) {
            throw new ProtoException("message " + m.fullName() + " is not declared in this schema");
        }
        return path;
    }

    private static boolean find(List<ProtoMessage> level, ProtoMessage target, List<Integer> path) {
        for (int i = 0; i < level.size(); i++) {
            path.add(i);
            if (level.get(i).fullName().equals(target.fullName()) || find(level.get(i).nested(), target, path)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** The message a record's message indexes name. */
    public ProtoMessage byIndexes(List<Integer> indexes) {
        List<ProtoMessage> level = messages;
        ProtoMessage m = null;
        for (int i : indexes) {
            if (i < 0 || i >= level.size()) {
                throw new ProtoException("message index " + indexes + " names no message of the schema");
            }
            m = level.get(i);
            level = m.nested();
        }
        return m == null ? first() : m;
    }
}

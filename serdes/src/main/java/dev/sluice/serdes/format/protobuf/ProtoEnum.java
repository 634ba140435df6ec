package dev.sluice.serdes.format.protobuf;

import java.util.Map;

/** An enum type: value numbers to names, in declaration order (the first is the default). */
public record ProtoEnum(String fullName, Map<Integer, String> values) {
    public ProtoEnum {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    public String nameOf(int number) {
        String n = values.get(number);
        return n != null ? n : Integer.toString(number);
    }

    public int numberOf(String name) {
        for (var e : values.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        throw new ProtoException("'" + name + "' is not a value of enum " + fullName + " " + values.values());
    }
}

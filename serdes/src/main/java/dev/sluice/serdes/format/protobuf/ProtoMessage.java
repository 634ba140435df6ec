package dev.sluice.serdes.format.protobuf;

import java.util.List;
import java.util.Optional;

/** A message type: its full name ({@code pkg.Outer.Inner}), fields, and the types declared inside it. */
public record ProtoMessage(String fullName, List<ProtoField> fields, List<ProtoMessage> nested, List<ProtoEnum> enums) {
    public ProtoMessage {
        fields = List.copyOf(fields);
        nested = List.copyOf(nested);
        enums = List.copyOf(enums);
    }

    public String simpleName() {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    public Optional<ProtoField> field(String name) {
        for (ProtoField f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        for (ProtoField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

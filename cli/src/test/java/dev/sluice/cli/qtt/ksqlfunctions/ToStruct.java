package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TOSTRUCT: a string as the field A of a {@code STRUCT<A VARCHAR>}. */
public class ToStruct {
    public static String sqlReturnType(List<String> argumentTypes) {
        return "STRUCT<A VARCHAR>";
    }

    public Map<String, Object> eval(String value) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("A", value);
        return struct;
    }
}

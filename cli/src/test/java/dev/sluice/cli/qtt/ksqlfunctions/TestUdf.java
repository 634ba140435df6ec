package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TEST_UDF: says which overload was chosen; reads and makes a {@code STRUCT<A VARCHAR>}; takes NULLs. */
public class TestUdf {
    public static boolean acceptsNulls() {
        return true;
    }

    /** Only the struct-making overload's result needs naming. */
    public static String sqlReturnType(List<String> argumentTypes) {
        return "STRUCT<A VARCHAR>";
    }

    public String eval(int first, String second) {
        return "doStuffIntString";
    }

    public String eval(long first, String second) {
        return "doStuffLongString";
    }

    public String eval(long first, long second, String third) {
        return "doStuffLongLongString";
    }

    public String eval(long... values) {
        return "doStuffLongVarargs";
    }

    /** A struct argument's field A. */
    public String eval(Map<String, Object> struct) {
        return struct == null ? null : (String) struct.get("A");
    }

    /** A struct whose field A is "foo". */
    public Map<String, Object> eval() {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("A", "foo");
        return struct;
    }
}

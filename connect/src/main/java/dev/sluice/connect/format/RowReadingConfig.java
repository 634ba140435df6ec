package dev.sluice.connect.format;

import org.apache.kafka.common.config.ConfigDef;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings the file and S3 sources share: how CSV text is split and which typed columns rows are
 * converted to. Defined and read here once, so both sources accept the same names with the same
 * defaults (the compiler writes them in {@code RowReadingSettings}).
 */
public final class RowReadingConfig {
    private RowReadingConfig() {
    }

    /** Adds {@code csv.*}, {@code skip.lines} and {@code columns} to {@code def}; {@code unit} is "file" or "object". */
    public static ConfigDef define(ConfigDef def, String unit) {
        return def
                .define("csv.header", ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM, "first line names the fields")
                .define("csv.delimiter", ConfigDef.Type.STRING, ",", ConfigDef.Importance.LOW, "field delimiter")
                .define("csv.quote", ConfigDef.Type.STRING, "\"", ConfigDef.Importance.LOW, "quote character")
                .define("skip.lines", ConfigDef.Type.INT, 0, ConfigDef.Importance.LOW,
                        "lines skipped at the top of each " + unit + "; with a header, the last skipped line is the header")
                .define("columns", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "name:TYPE;... of the rows: text is converted to these types (types may hold commas: DECIMAL(10, 2))");
    }

    /** The CSV settings of values parsed by a definition that went through {@link #define}. */
    public static RowCursor.Csv csv(Map<String, Object> parsed) {
        return new RowCursor.Csv((Boolean) parsed.get("csv.header"), ((String) parsed.get("csv.delimiter")).charAt(0),
                ((String) parsed.get("csv.quote")).charAt(0), (Integer) parsed.get("skip.lines"),
                columns((String) parsed.get("columns")));
    }

    /** {@code name:TYPE;...} as the compiler planned the columns; the last colon splits, as names cannot hold one. */
    public static Map<String, String> columns(String spec) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (!spec.isBlank()) {
            for (String c : spec.split(";")) {
                int colon = c.lastIndexOf(':');
                columns.put(c.substring(0, colon).trim(), c.substring(colon + 1).trim());
            }
        }
        return columns;
    }
}

package dev.sluice.serdes.format.delimited;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code format = 'delimited'} or {@code 'csv'}: one record is one line of RFC 4180 text, columns by
 * position.
 *
 * <ul>
 *   <li>{@code delimiter}: one character, default {@code ','}; {@code '\t'} or {@code 'tab'} for tabs.
 *       {@code key_delimiter} / {@code value_delimiter} set the key's / the value's alone.</li>
 *   <li>{@code quote_char}: default {@code '"'}; inside a quoted field the quote is doubled.</li>
 *   <li>An empty unquoted field is NULL; a quoted empty field ({@code ""}) is the empty string. NULL is
 *       written as an empty field, the empty string as {@code ""}.</li>
 *   <li>Fewer fields than columns: the missing trailing columns are NULL. More fields: an error.</li>
 *   <li>{@code header = true}: a Kafka record is self-contained, so there is no "first line" to skip.
 *       Instead a record whose fields equal the column names (ignoring case and surrounding blanks) is
 *       recognised as a header line a file-to-topic loader copied in, and read as a null value
 *       (skipped like a tombstone). Sluice never writes a header.</li>
 *   <li>Cells parse as JSON strings do (TIMESTAMP: ISO-8601, {@code yyyy-MM-dd HH:mm:ss} or epoch
 *       millis; DATE {@code yyyy-MM-dd}; BYTES base64). ARRAY, MAP and STRUCT columns are refused:
 *       use json or avro for nested data.</li>
 * </ul>
 */
public final class DelimitedFormat implements RowFormat {

    @Override
    public String name() {
        return "delimited";
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        for (Column c : schema.columns()) {
            SqlType t = c.type();
            if (!(t instanceof ScalarType) && !(t instanceof dev.sluice.serdes.row.DecimalType)) {
                throw new IllegalArgumentException("The 'DELIMITED' format does not support type '"
                        + SqlType.baseName(t) + "': column " + c.name() + " is " + t.sql()
                        + "; use json or avro for nested data");
            }
        }
        // ksqlDB names the key's and the value's delimiters apart (KEY_DELIMITER, VALUE_DELIMITER)
        String ownDelimiter = isKey ? "key_delimiter" : "value_delimiter";
        char delimiter = delimiter(OptionKeys.find(options, ownDelimiter, "delimiter", "csv.field-delimiter").orElse(","));
        char quote = singleChar("quote_char", OptionKeys.find(options, "quote_char", "quote", "csv.quote-character").orElse("\""));
        boolean header = OptionKeys.flag(options, false, "header");
        return Serdes.serdeFrom(serializer(schema, delimiter, quote, OptionKeys.numericTemporals(options)),
                deserializer(schema, delimiter, quote, header));
    }

    static Serializer<Row> serializer(Schema schema, char delimiter, char quote, boolean numericTemporals) {
        List<Column> columns = schema.columns();
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    sb.append(delimiter);
                }
                Object v = row.get(i);
                if (v != null) {
                    String text = numericTemporals && isTemporal(columns.get(i).type()) ? v.toString()
                            : TextValues.format(columns.get(i).type(), v);
                    // numeric temporals mark a ksqlDB-dialect sink, which quotes as ksqlDB does
                    appendField(sb, text, i == 0, delimiter, quote, numericTemporals);
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static boolean isTemporal(dev.sluice.serdes.row.SqlType type) {
        return type == dev.sluice.serdes.row.ScalarType.TIMESTAMP || type == dev.sluice.serdes.row.ScalarType.TIMESTAMP_LTZ
                || type == dev.sluice.serdes.row.ScalarType.DATE || type == dev.sluice.serdes.row.ScalarType.TIME;
    }

    static Deserializer<Row> deserializer(Schema schema, char delimiter, char quote, boolean header) {
        List<Column> columns = schema.columns();
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            List<String> fields = DelimitedLine.split(new String(data, StandardCharsets.UTF_8), delimiter, quote);
            if (fields.size() > columns.size()) {
                throw new SerializationException("delimited record has " + fields.size() + " fields, the schema has "
                        + columns.size() + " columns " + schema.names());
            }
            if (header && isHeader(fields, columns)) {
                return null;
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < fields.size(); i++) {
                String f = fields.get(i);
                if (f == null) {
                    continue;
                }
                Column c = columns.get(i);
                try {
                    values[i] = TextValues.parse(c.type(), f);
                } catch (IllegalArgumentException e) {
                    throw new SerializationException("field " + c.name() + " (column " + (i + 1) + "): expected "
                            + c.type().sql() + ", got \"" + shorten(f) + "\"");
                }
            }
            return new Row(values);
        };
    }

    private static boolean isHeader(List<String> fields, List<Column> columns) {
        if (fields.size() != columns.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f == null || !f.trim().equalsIgnoreCase(columns.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    private static void appendField(StringBuilder sb, String text, boolean firstField, char delimiter, char quote,
                                    boolean ksqlDialect) {
        if (!needsQuotes(text, firstField, delimiter, quote, ksqlDialect)) {
            sb.append(text);
            return;
        }
        sb.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == quote) {
                sb.append(quote);
            }
            sb.append(ch);
        }
        sb.append(quote);
    }

    /**
     * The quoting rule of ksqlDB's writer (a CSV printer in "minimal" mode), so that both write the same
     * bytes: a field is quoted when it contains the delimiter, the quote, CR or LF; when it starts with a
     * character up to {@code '#'} (blank, control, {@code !}, {@code "}, {@code #}: a reader could take
     * them for padding or a comment); when it ends with a blank or control character (a reader could trim
     * it); and, for the first field of a record only, when it starts with anything but an ASCII letter or
     * digit (e.g. {@code "-10"}). The empty string: a ksqlDB-dialect sink ({@code ksqlDialect}) quotes it
     * in the first field only, as ksqlDB does (so elsewhere it reads back as NULL, in ksqlDB too); others
     * always quote it, so that it survives a round trip.
     */
    static boolean needsQuotes(String text, boolean firstField, char delimiter, char quote, boolean ksqlDialect) {
        if (text.isEmpty()) {
            return firstField || !ksqlDialect;
        }
        char first = text.charAt(0);
        if (firstField && !isAsciiLetterOrDigit(first) || first <= '#') {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == delimiter || ch == quote || ch == '\n' || ch == '\r') {
                return true;
            }
        }
        return text.charAt(text.length() - 1) <= ' ';
    }

    private static boolean isAsciiLetterOrDigit(char ch) {
        return ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z';
    }

    private static char delimiter(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("\\t") || lower.equals("tab") || lower.equals("\t")) {
            return '\t';
        }
        if (lower.equals("space")) {
            return ' ';
        }
        return singleChar("delimiter", value);
    }

    private static char singleChar(String key, String value) {
        if (value.length() != 1) {
            throw new IllegalArgumentException("option '" + key + "' must be one character, got '" + value + "'");
        }
        return value.charAt(0);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}

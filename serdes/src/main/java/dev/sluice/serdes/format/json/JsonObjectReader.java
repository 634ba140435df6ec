package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON object → positional {@link Row}, one pass over the object's fields. A field matches a column
 * by exact name first, else ignoring case (an exact match wins even when it comes later in the
 * object). Missing fields are NULL; unknown fields are skipped, or rejected in strict mode.
 *
 * <p>Projected: a column that {@link ReadFields} leaves out has no reader; its value is skipped with
 * the streaming parser (still tokenized, so a syntax error in it fails the record, but no string is
 * decoded, no number converted, no nested row built) and stays NULL. A ROW column read in part gets
 * a reader of those fields only.
 */
final class JsonObjectReader {
    private static final byte UNSET = 0;
    private static final byte BY_CASE_INSENSITIVE_NAME = 1;
    private static final byte BY_EXACT_NAME = 2;

    private final List<Column> columns;
    private final String pathPrefix;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> lowerCase = new HashMap<>();
    private final JsonValueReader[] readers;
    private final boolean strict;

    JsonObjectReader(List<Column> columns, String pathPrefix, boolean strict) {
        this(columns, pathPrefix, strict, ReadFields.ALL);
    }

    /** Reads only {@code read} of the columns (strict mode, a schema check, always reads everything). */
    JsonObjectReader(List<Column> columns, String pathPrefix, boolean strict, ReadFields read) {
        this.columns = columns;
        this.pathPrefix = pathPrefix;
        this.strict = strict;
        this.readers = new JsonValueReader[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            exact.putIfAbsent(c.name(), i);
            lowerCase.putIfAbsent(c.name().toLowerCase(Locale.ROOT), i);
            ReadFields part = strict ? ReadFields.ALL : read.field(i);
            // no reader: the field is skipped (see the class comment)
            readers[i] = part == null ? null : JsonReaders.forType(c.type(), pathPrefix + c.name(), strict, part);
        }
    }

    /** Reads the object whose START_OBJECT is the current token; leaves the parser on its END_OBJECT. */
    Row read(JsonParser p) throws IOException {
        Object[] values = new Object[readers.length];
        byte[] matched = new byte[readers.length];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            Integer index = exact.get(name);
            byte quality = BY_EXACT_NAME;
            if (index == null) {
                index = lowerCase.get(name.toLowerCase(Locale.ROOT));
                quality = BY_CASE_INSENSITIVE_NAME;
            }
            if (index == null) {
                if (strict) {
                    throw new SerializationException("field " + pathPrefix + name + ": not in the schema "
                            + "(strict JSON rejects unknown fields)");
                }
                p.skipChildren();
                continue;
            }
            int i = index;
            if (readers[i] == null || matched[i] > quality) {
                p.skipChildren();
                continue;
            }
            matched[i] = quality;
            if (t == JsonToken.VALUE_NULL) {
                values[i] = null;
                if (strict && !columns.get(i).nullable()) {
                    throw new SerializationException("field " + pathPrefix + columns.get(i).name()
                            + ": null for a NOT NULL column");
                }
            } else {
                values[i] = readers[i].read(p);
            }
        }
        if (strict) {
            for (int i = 0; i < matched.length; i++) {
                if (matched[i] == UNSET && !columns.get(i).nullable()) {
                    throw new SerializationException("field " + pathPrefix + columns.get(i).name()
                            + ": missing, and the column is NOT NULL");
                }
            }
        }
        return new Row(values);
    }
}

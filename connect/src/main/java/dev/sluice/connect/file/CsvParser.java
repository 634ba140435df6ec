package dev.sluice.connect.file;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one record: a delimiter, a quote character, doubled quotes inside quoted
 * fields. A quoted field may span lines; {@link #complete} tells the reader to append the next one.
 */
public record CsvParser(char delimiter, char quote) {

    /** Whether {@code text} ends outside quotes (an odd number of quote characters means it does not). */
    public boolean complete(String text) {
        int quotes = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == quote) {
                quotes++;
            }
        }
        return quotes % 2 == 0;
    }

    public List<String> fields(String record) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == quote && i + 1 < record.length() && record.charAt(i + 1) == quote) {
                    field.append(quote);
                    i++;
                } else if (c == quote) {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == quote) {
                quoted = true;
            } else if (c == delimiter) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}

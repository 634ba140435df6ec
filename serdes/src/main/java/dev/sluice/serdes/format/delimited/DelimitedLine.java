package dev.sluice.serdes.format.delimited;

import org.apache.kafka.common.errors.SerializationException;

import java.util.ArrayList;
import java.util.List;

/** Splits one RFC 4180 record into fields; an empty unquoted field is {@code null}. */
final class DelimitedLine {
    private DelimitedLine() {
    }

    static List<String> split(String line, char delimiter, char quote) {
        int end = line.length();
        // one record per Kafka value: a trailing line break belongs to no field
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i < end && line.charAt(i) == quote) {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= end) {
                        throw new SerializationException("delimited record: quoted field " + (fields.size() + 1)
                                + " is not closed by " + quote);
                    }
                    char ch = line.charAt(i);
                    if (ch == quote) {
                        if (i + 1 < end && line.charAt(i + 1) == quote) {
                            sb.append(quote);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(ch);
                    i++;
                }
                if (i < end && line.charAt(i) != delimiter) {
                    throw new SerializationException("delimited record: unexpected '" + line.charAt(i)
                            + "' after the closing quote of field " + (fields.size() + 1));
                }
                fields.add(sb.toString());
            } else {
                int next = line.indexOf(delimiter, i);
                if (next < 0 || next > end) {
                    next = end;
                }
                fields.add(next == i ? null : line.substring(i, next));
                i = next;
            }
            if (i >= end) {
                return fields;
            }
            i++; // past the delimiter
            if (i == end) {
                fields.add(null);
                return fields;
            }
        }
    }
}

package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.endpoint.Durations;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The kind of value a known WITH option takes, and how its text becomes a typed value. A value
 * that does not parse is a SQL error at the value, saying what the option takes (and, for a
 * choice, the closest allowed value).
 */
sealed interface OptionType {
    /** The typed value of {@code text}; {@code key} as written, for the message. */
    Object parse(String key, String text, NodeLocation where);

    /** Any text that is not blank (a topic, a column, a format name checked elsewhere). */
    record Text() implements OptionType {
        @Override
        public Object parse(String key, String text, NodeLocation where) {
            if (text.isBlank()) {
                throw new SqlException(where, "'" + key + "' must not be empty");
            }
            return text.strip();
        }
    }

    /** A whole number in [min, max], as a Long. */
    record WholeNumber(long min, long max) implements OptionType {
        @Override
        public Object parse(String key, String text, NodeLocation where) {
            long n;
            try {
                n = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new SqlException(where, "'" + key + "' = '" + text + "' is not a whole number",
                        "write a number such as " + Math.max(min, 1));
            }
            if (n < min || n > max) {
                throw new SqlException(where, "'" + key + "' = " + n + " is out of range",
                        "'" + key + "' is between " + min + " and " + max);
            }
            return n;
        }
    }

    /** true or false, as a Boolean. */
    record Flag() implements OptionType {
        @Override
        public Object parse(String key, String text, NodeLocation where) {
            String s = text.strip().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.valueOf(s);
            }
            String hint = Suggestions.hint(s, List.of("true", "false"));
            throw new SqlException(where, "'" + key + "' = '" + text + "' is not true or false",
                    hint == null ? "write true or false" : hint);
        }
    }

    /** {@code '10 SECONDS'}, {@code '1 minute'}, {@code '500'} (ms), as milliseconds (a Long). */
    record Duration() implements OptionType {
        @Override
        public Object parse(String key, String text, NodeLocation where) {
            return Durations.millis(text, where);
        }
    }

    /** One of a fixed set of lower-case values, compared without case; the value as listed. */
    record Choice(List<String> values) implements OptionType {
        @Override
        public Object parse(String key, String text, NodeLocation where) {
            String s = text.strip().toLowerCase(Locale.ROOT);
            if (values.contains(s)) {
                return s;
            }
            String hint = Suggestions.hint(s, values);
            throw new SqlException(where, "'" + key + "' = '" + text + "' is not a known value",
                    (hint == null ? "" : hint + " ") + "('" + key + "' is one of " + String.join(", ", values) + ")");
        }
    }

    /**
     * A java.time pattern such as {@code yyyy-MM-dd HH:mm:ss} (ksqlDB's TIMESTAMP_FORMAT), or the name
     * of a standard form (seed 001 writes {@code 'ISO8601'}).
     */
    record DateTimePattern() implements OptionType {
        static final List<String> NAMED = List.of("iso8601", "iso-8601", "iso", "rfc3339", "epoch", "epoch_millis",
                "epoch_seconds", "unix", "unix_ms");

        @Override
        public Object parse(String key, String text, NodeLocation where) {
            if (NAMED.contains(text.strip().toLowerCase(Locale.ROOT))) {
                return text.strip();
            }
            try {
                DateTimeFormatter.ofPattern(text);
                return text;
            } catch (IllegalArgumentException e) {
                throw new SqlException(where, "'" + key + "' = '" + text + "' is not a date-time pattern: "
                        + e.getMessage(), "write a pattern such as 'yyyy-MM-dd''T''HH:mm:ss.SSS'");
            }
        }
    }
}

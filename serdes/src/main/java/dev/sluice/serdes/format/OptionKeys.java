package dev.sluice.serdes.format;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Case-insensitive lookup of {@code WITH (...)} options. Users write both {@code VALUE_FORMAT} (ksqlDB)
 * and {@code 'value.format'} (Flink); the analyzer may or may not lower-case keys, so formats never
 * rely on the spelling of a key's case.
 */
public final class OptionKeys {
    private OptionKeys() {
    }

    /** The value of the first of {@code keys} present, comparing keys without regard to case. */
    public static Optional<String> find(FormatOptions options, String... keys) {
        Map<String, String> props = options.properties();
        for (String key : keys) {
            String exact = props.get(key);
            if (exact != null) {
                return Optional.of(exact);
            }
            for (Map.Entry<String, String> e : props.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** A boolean option: 'true'/'false' (any case); anything else is a user error naming the key. */
    public static boolean flag(FormatOptions options, boolean defaultValue, String... keys) {
        Optional<String> v = find(options, keys);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("option '" + keys[0] + "' must be 'true' or 'false', got '" + v.get() + "'");
    }

    /**
     * The option a ksqlDB-dialect script's compiler sets on its sinks: text formats (JSON,
     * DELIMITED) write TIMESTAMP as epoch milliseconds and DATE as epoch days, as ksqlDB does,
     * instead of ISO-8601 text.
     */
    public static final String NUMERIC_TEMPORALS = "sluice.numeric_temporals";

    public static boolean numericTemporals(FormatOptions options) {
        return flag(options, false, NUMERIC_TEMPORALS);
    }

    /**
     * The option a ksqlDB-dialect script's compiler sets on its sources and sinks: a JSON key of one
     * column is that column's bare value ({@code "bob"}, {@code {"F1": 1}} for a struct column), as
     * ksqlDB writes keys; a key of several columns stays an object of them.
     */
    public static final String UNWRAPPED_SINGLE_KEY = "sluice.unwrapped_single_key";

    public static boolean unwrappedSingleKey(FormatOptions options) {
        return flag(options, false, UNWRAPPED_SINGLE_KEY);
    }

    /** Strips surrounding quotes users sometimes keep in option values and lower-cases the rest. */
    public static String normalizedName(String value) {
        String s = value.trim();
        if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
            s = s.substring(1, s.length() - 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }
}

package dev.sluice.runtime.plan;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ksqlDB's windowed sources ({@code WITH (WINDOW_TYPE='TUMBLING'|'HOPPING'|'SESSION', WINDOW_SIZE=...)}):
 * the topic's record keys carry a window in Kafka Streams' layouts (see
 * {@link dev.sluice.runtime.build.WindowedKeys}). A time window's key holds its start only, so its
 * end is start + WINDOW_SIZE; a session's key holds both bounds.
 */
public final class WindowedSource {
    /** The two pseudo columns a windowed stream source appends after its others, read from the key. */
    public static final String START = "WINDOWSTART";
    public static final String END = "WINDOWEND";

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]+)\\s*");

    private WindowedSource() {
    }

    /** The window the source's keys carry, or empty when the source is not windowed. */
    public static Optional<WindowSpec> of(FormatSpec format) {
        Map<String, String> p = format.properties();
        String type = p.get("window_type");
        if (type == null) {
            return Optional.empty();
        }
        return switch (type.trim().toUpperCase(Locale.ROOT)) {
            case "SESSION" -> Optional.of(new WindowSpec(WindowSpec.Kind.SESSION, 0, 0, 0, true));
            case "TUMBLING" -> Optional.of(new WindowSpec(WindowSpec.Kind.TUMBLE, size(p), size(p), 0, true));
            case "HOPPING" -> Optional.of(new WindowSpec(WindowSpec.Kind.HOP, size(p), size(p), 0, true));
            default -> Optional.empty();
        };
    }

    /** WINDOW_SIZE as ksqlDB writes it ({@code '30 seconds'}) in milliseconds; the compiler checked it. */
    static long size(Map<String, String> properties) {
        String text = properties.get("window_size");
        if (text == null) {
            throw new IllegalArgumentException("a TUMBLING or HOPPING source needs WINDOW_SIZE");
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid duration: '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        unit = unit.endsWith("S") ? unit.substring(0, unit.length() - 1) : unit;
        long ms = switch (unit) {
            case "MILLISECOND", "M" -> 1;
            case "SECOND" -> 1_000;
            case "MINUTE" -> 60_000;
            case "HOUR" -> 3_600_000;
            case "DAY" -> 86_400_000;
            default -> throw new IllegalArgumentException("Invalid duration: '" + text + "'");
        };
        return n * ms;
    }
}

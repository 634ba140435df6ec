package dev.sluice.connect.clickhouse;

import dev.sluice.connect.Json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where an incremental ClickHouse read stands: the greatest value of its column read so far, and the
 * rows already read whose value lies in the overlap window {@code [last - overlap, last]}, by a hash
 * of their dedup key. Each poll reads {@code column >= last - overlap} again, so a row inserted late
 * with a value in the window (a tie with the last value, or an event a little behind) is still read,
 * and a row read before is recognized and dropped. Values below the window are not read again: the
 * window is how late a row may arrive and still be read.
 *
 * <p>The overlap is in the column's units: a number for numeric columns, seconds for DateTime,
 * days for Date; text columns get no overlap beyond ties ({@code >=} the last value). The state is the
 * Connect source offset ({@code last} and {@code seen}, a JSON text), so a restart resumes with it.
 */
final class IncrementalWindow {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    enum Kind { NUMBER, DATE_TIME, DATE, TEXT }

    private final Kind kind;
    private final BigDecimal overlap;
    private String last;
    /** value -> hashes of the dedup keys of the rows read with that value, ordered by value. */
    private final TreeMap<String, Set<String>> seen;

    IncrementalWindow(Kind kind, BigDecimal overlap, String last, String seenJson) {
        if (kind == Kind.TEXT && overlap.signum() != 0) {
            throw new IllegalArgumentException("incremental.overlap needs a numeric, Date or DateTime column");
        }
        this.kind = kind;
        this.overlap = overlap;
        this.last = last;
        this.seen = new TreeMap<>(comparator(kind));
        if (seenJson != null && !seenJson.isBlank()) {
            Json.fields(seenJson).forEach((value, hashes) -> seen.put(value,
                    new LinkedHashSet<>(java.util.List.of(hashes.split(",")))));
        }
    }

    static Kind kindOf(String clickHouseType) {
        String t = clickHouseType.replaceAll("^(Nullable|LowCardinality)\\((.*)\\)$", "$2");
        if (ClickHouseSourceTask.isNumeric(t)) {
            return Kind.NUMBER;
        }
        return t.startsWith("DateTime") ? Kind.DATE_TIME : t.equals("Date") ? Kind.DATE : Kind.TEXT;
    }

    private static Comparator<String> comparator(Kind kind) {
        // ClickHouse's DateTime and Date texts sort as their values do
        return kind == Kind.NUMBER ? Comparator.comparing(BigDecimal::new) : Comparator.naturalOrder();
    }

    String last() {
        return last;
    }

    /** The lowest value the next poll reads, or null before the first row. */
    String lowerBound() {
        if (last == null || overlap.signum() == 0) {
            return last;
        }
        return switch (kind) {
            case NUMBER -> new BigDecimal(last).subtract(overlap).toPlainString();
            case DATE_TIME -> LocalDateTime.parse(last, DATE_TIME).minusSeconds(overlap.longValue()).format(DATE_TIME);
            case DATE -> LocalDate.parse(last).minusDays(overlap.longValue()).toString();
            case TEXT -> last;
        };
    }

    /** The condition of the next poll, or "" before the first row. */
    String where(String quotedColumn) {
        String low = lowerBound();
        if (low == null) {
            return "";
        }
        return " WHERE " + quotedColumn + " >= " + (kind == Kind.NUMBER ? low
                : "'" + low.replace("\\", "\\\\").replace("'", "\\'") + "'");
    }

    /** How many rows the window holds: a poll reads this many more, so that it still makes progress. */
    int size() {
        return seen.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Takes a row read by a poll (in the column's order): true when it is new, false when it was read
     * before. A null value is new every time it is read only before the first value (it then cannot
     * match {@code >=}).
     */
    boolean accept(String value, String dedupKey) {
        if (value == null) {
            return true;
        }
        String hash = hash(dedupKey);
        Set<String> hashes = seen.computeIfAbsent(value, v -> new LinkedHashSet<>());
        if (!hashes.add(hash)) {
            return false;
        }
        if (last == null || comparator(kind).compare(value, last) > 0) {
            last = value;
        }
        return true;
    }

    /** Forgets the rows below the window (they are not read again); call after each poll. */
    void prune() {
        String low = lowerBound();
        if (low != null) {
            seen.headMap(low, false).clear();
        }
    }

    /** The Connect source offset of this state. */
    Map<String, ?> offset() {
        if (last == null) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        seen.forEach((value, hashes) -> values.put(value, String.join(",", hashes)));
        return Map.of("last", last, "seen", Json.object(values));
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.sluice.connect.clickhouse;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error ClickHouse answered with: the HTTP status and ClickHouse's own error code, read from the
 * {@code X-ClickHouse-Exception-Code} header (19.x and later) or the body's {@code Code: N} (18.16
 * sends parse errors as HTTP 500 too, so the status alone cannot tell bad data from an overload).
 */
public final class ClickHouseException extends Exception {
    private static final Pattern CODE = Pattern.compile("^\\s*Code:\\s*(\\d+)");
    /**
     * Codes worth retrying: timeouts and network errors (159, 209, 210), too many queries or
     * connections (202, 203), memory limit (241), read-only replica (242), too many parts (252),
     * keeper/ZooKeeper trouble (999, 225), and "table is shutting down"-like states (236, 319).
     */
    private static final Set<Integer> TRANSIENT = Set.of(159, 202, 203, 209, 210, 225, 236, 241, 242, 252, 319, 999);
    private final int status;
    private final int code;

    public ClickHouseException(int status, String codeHeader, String body) {
        super("HTTP " + status + ": " + firstLine(body));
        this.status = status;
        this.code = code(codeHeader, body);
    }

    private static int code(String header, String body) {
        if (header != null && header.matches("\\d+")) {
            return Integer.parseInt(header);
        }
        Matcher m = CODE.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String firstLine(String body) {
        String s = body.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    /** Whether trying the same request again may succeed (overload, network, gateway), as opposed to bad data or SQL. */
    public boolean isTransient() {
        return status == 502 || status == 503 || status == 504 || status == 429 || TRANSIENT.contains(code);
    }
}

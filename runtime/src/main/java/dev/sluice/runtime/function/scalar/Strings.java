package dev.sluice.runtime.function.scalar;

/** Code-point aware helpers: SQL lengths and positions count characters, not UTF-16 units. */
final class Strings {
    private Strings() {
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Characters [from, to) by code point index, clamped to the string. */
    static String slice(String s, int from, int to) {
        int n = length(s);
        int start = Math.max(0, Math.min(from, n));
        int end = Math.max(start, Math.min(to, n));
        if (n == s.length()) {
            return s.substring(start, end);
        }
        int i = s.offsetByCodePoints(0, start);
        return s.substring(i, s.offsetByCodePoints(i, end - start));
    }

    /** 1-based code point position of {@code sub} in {@code s} from code point {@code from}; 0 if absent. */
    static int position(String s, String sub, int from) {
        int startUnit = from <= 0 ? 0 : s.offsetByCodePoints(0, Math.min(from, length(s)));
        int i = s.indexOf(sub, startUnit);
        return i < 0 ? 0 : s.codePointCount(0, i) + 1;
    }

    static String trim(String s, String chars, boolean leading, boolean trailing) {
        int start = 0;
        int end = s.length();
        while (leading && start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (trailing && end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    static String repeat(String s, int times) {
        return times <= 0 ? "" : s.repeat(times);
    }
}

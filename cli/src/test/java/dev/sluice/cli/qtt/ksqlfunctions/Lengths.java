package dev.sluice.cli.qtt.ksqlfunctions;

/** Shared by the test aggregates: the summed lengths of the non-NULL strings. */
final class Lengths {
    private Lengths() {
    }

    static long of(String... values) {
        long sum = 0;
        for (String s : values) {
            sum += s == null ? 0 : s.length();
        }
        return sum;
    }
}

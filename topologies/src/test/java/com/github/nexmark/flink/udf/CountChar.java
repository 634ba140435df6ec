package com.github.nexmark.flink.udf;

/**
 * Nexmark q14's user-defined function, written for Sluice: how many times the first character of
 * {@code c} occurs in {@code s}. The class name is the one the published q14 names; Sluice calls
 * its public {@code eval} method (see docs/udf.md).
 */
public class CountChar {
    public long eval(String s, String c) {
        if (c.isEmpty()) {
            throw new IllegalArgumentException("count_char needs a character to count");
        }
        char wanted = c.charAt(0);
        long count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == wanted) {
                count++;
            }
        }
        return count;
    }
}

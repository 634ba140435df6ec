package dev.sluice.connect.s3;

import java.util.regex.Pattern;

/**
 * A key pattern of an {@code s3://bucket/pattern} URI: {@code *} matches within one level
 * (no {@code /}), {@code **} across levels, {@code ?} one character; a pattern ending in {@code /}
 * means everything under it. Listing starts at the literal prefix before the first wildcard.
 */
public record S3Keys(String pattern) {

    public String listPrefix() {
        int i = 0;
        while (i < pattern.length() && "*?[".indexOf(pattern.charAt(i)) < 0) {
            i++;
        }
        return pattern.substring(0, i);
    }

    public boolean matches(String key) {
        String p = pattern.isEmpty() || pattern.endsWith("/") ? pattern + "**" : pattern;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return key.matches(regex.toString()) && !key.endsWith("/");
    }
}

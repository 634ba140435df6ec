package dev.sluice.compiler.analyzer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ksqlDB's names for unaliased struct field accesses ({@code a->b}): the field's name, or, when
 * the input already has a column of that name (or an earlier access took it), the name with
 * {@code _1}, {@code _2}, … (the first number neither the input's columns nor an earlier access
 * uses). A name ending in {@code _n} counts as number n of its stem, as ksqlDB counts: an input
 * column {@code B_1} makes the second access to a field {@code B} {@code B_2}.
 */
final class KsqlFieldAliases {
    private static final Pattern NUMBERED = Pattern.compile("(?<name>.*?)?(?:_(?<number>\\d+))?");

    /** Per stem: the numbers taken (0 is the bare stem). */
    private final Map<String, Set<Integer>> taken = new HashMap<>();
    /** Per stem: where the search for the next free number starts. */
    private final Map<String, Integer> next = new HashMap<>();

    KsqlFieldAliases(Iterable<String> inputNames) {
        for (String name : inputNames) {
            Matcher m = NUMBERED.matcher(name.toUpperCase(Locale.ROOT));
            if (m.matches()) {
                taken.computeIfAbsent(stem(m), k -> new HashSet<>()).add(number(m));
            }
        }
    }

    /** The name of the next unaliased access to field {@code field}. */
    String next(String field) {
        Matcher m = NUMBERED.matcher(field);
        String stem = m.matches() ? stem(m) : field;
        Set<Integer> used = taken.getOrDefault(stem.toUpperCase(Locale.ROOT), Set.of());
        int i = next.getOrDefault(stem.toUpperCase(Locale.ROOT), 0);
        while (used.contains(i)) {
            i++;
        }
        next.put(stem.toUpperCase(Locale.ROOT), i + 1);
        return i == 0 ? stem : stem + "_" + i;
    }

    private static String stem(Matcher m) {
        return m.group("name") == null ? "" : m.group("name");
    }

    private static int number(Matcher m) {
        try {
            return m.group("number") == null ? 0 : Integer.parseInt(m.group("number"));
        } catch (NumberFormatException e) {
            return -1; // too many digits to be a number ksqlDB would generate
        }
    }
}

package dev.sluice.cli;

import java.util.Locale;

/**
 * Makes the JVM's default format locale {@code en_US} where it is plain {@code en}, which is what
 * Java derives from {@code LANG=C} or {@code C.UTF-8} (the bench machine, most container images).
 *
 * <p>Why: the JDK's {@link java.util.Formatter} finds its zero digit without a lookup only for
 * {@link Locale#US}; for any other locale, each {@code String.format} with a {@code %d} builds a new
 * {@code DecimalFormatSymbols} (measured on JDK 17: 270 ns of CPU per format against 140 ns).
 * Kafka Streams calls {@code String.format} in {@code PartitionGroup.readyToProcess} whenever a task
 * with several input partitions has one of them empty (its log lines are built even with tracing
 * off), and it asks that once per record such a task processes and on each loop while the task
 * waits: every join's task. That was 8 % of Nexmark q5's and q8's stream-thread CPU, 3 % of it in
 * {@code DecimalFormatSymbols}.
 *
 * <p>Only plain {@code en} is changed: {@code en} and {@code en_US} format numbers and dates alike
 * ({@code FormatLocaleTest} pins it), so nothing Sluice prints changes. Any other locale is kept.
 */
final class FormatLocale {
    private FormatLocale() {
    }

    /** {@link Locale#US} for plain English, else the locale itself. */
    static Locale fastEquivalent(Locale locale) {
        return Locale.ENGLISH.equals(locale) ? Locale.US : locale;
    }

    /** Called once, first thing in {@code main}: a process-wide default, not for embedding callers. */
    static void useFastEquivalent() {
        Locale.setDefault(Locale.Category.FORMAT, fastEquivalent(Locale.getDefault(Locale.Category.FORMAT)));
    }
}

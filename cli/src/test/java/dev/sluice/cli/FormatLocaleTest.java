package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.DecimalFormatSymbols;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Plain English becomes en_US (the JDK's fast path in String.format) and nothing formats differently. */
class FormatLocaleTest {

    @Test
    void plainEnglishBecomesUsAndEveryOtherLocaleIsKept() {
        assertEquals(Locale.US, FormatLocale.fastEquivalent(Locale.ENGLISH));
        assertEquals(Locale.US, FormatLocale.fastEquivalent(Locale.US));
        assertEquals(Locale.UK, FormatLocale.fastEquivalent(Locale.UK));
        assertEquals(Locale.GERMANY, FormatLocale.fastEquivalent(Locale.GERMANY));
        assertEquals(Locale.ROOT, FormatLocale.fastEquivalent(Locale.ROOT));
    }

    @Test
    void englishAndUsEnglishFormatNumbersAndDatesAlike() {
        ZonedDateTime t = ZonedDateTime.of(LocalDateTime.of(2026, 12, 7, 14, 5, 9, 123_000_000), ZoneOffset.UTC);
        String[] patterns = {"%d", "%,d", "%08d", "%x", "%.3f", "%,.2f", "%e", "%g", "%s", "%tc", "%tB %tA"};
        Object[] values = {-1234567L, 9876543210L, 42, 255, -3.14159, 1234567.891, 6.02e23, 0.000123, 1.5, t, t};
        for (int i = 0; i < patterns.length; i++) {
            Object[] args = patterns[i].contains("%tB") ? new Object[] {values[i], values[i]} : new Object[] {values[i]};
            assertEquals(String.format(Locale.ENGLISH, patterns[i], args), String.format(Locale.US, patterns[i], args),
                    patterns[i]);
        }
        DecimalFormatSymbols en = DecimalFormatSymbols.getInstance(Locale.ENGLISH);
        DecimalFormatSymbols us = DecimalFormatSymbols.getInstance(Locale.US);
        assertEquals(en.getZeroDigit(), us.getZeroDigit());
        assertEquals(en.getDecimalSeparator(), us.getDecimalSeparator());
        assertEquals(en.getGroupingSeparator(), us.getGroupingSeparator());
        assertEquals(en.getMinusSign(), us.getMinusSign());
        for (FormatStyle style : FormatStyle.values()) {
            assertEquals(DateTimeFormatter.ofLocalizedDateTime(style).withLocale(Locale.ENGLISH).format(t),
                    DateTimeFormatter.ofLocalizedDateTime(style).withLocale(Locale.US).format(t), style.name());
        }
    }
}

package dev.sluice.compiler.endpoint;

import dev.sluice.serdes.row.Schema;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings every row-reading connector (files, S3 objects) takes from a statement: how CSV text
 * is split and which columns, with their SQL types, the rows are converted to. One place, so the
 * file and S3 sources cannot drift apart in defaults or option names.
 */
final class RowReadingSettings {
    private RowReadingSettings() {
    }

    /** {@code header}, {@code delimiter}, {@code quote_char}, {@code skip_lines}, when the format is CSV. */
    static void putCsv(Map<String, String> c, String format, Map<String, String> options) {
        if (!format.equals("csv")) {
            return;
        }
        c.put("csv.header", options.getOrDefault("header", "true"));
        c.put("csv.delimiter", options.getOrDefault("delimiter", ","));
        c.put("csv.quote", options.getOrDefault("quote_char", "\""));
        c.put("skip.lines", options.getOrDefault("skip_lines", "0"));
    }

    /** {@code columns}: {@code name:TYPE;...}, the types as SQL spells them (they may hold commas). */
    static void putColumns(Map<String, String> c, Schema schema) {
        c.put("columns", schema.columns().stream().map(col -> col.name() + ":" + col.type().sql())
                .collect(Collectors.joining(";")));
    }
}

package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints rows as they arrive: one JSON object per line ({@code jsonl}), or an aligned text table
 * whose header is printed once. A stream has no end to size columns by, so columns are sized by the
 * first batch of rows (at least 12 characters or the name), and a later, longer value widens the
 * column from its own line on.
 */
public final class RowWriter {
    public enum Format { TABLE, JSONL, RECORDS }

    private static final int MIN_WIDTH = 12;

    private final PrintWriter out;
    private final Format format;
    private final List<String> columns;
    private final int[] width;
    private boolean headerDone;

    public RowWriter(PrintWriter out, Format format, List<String> columns) {
        this.out = out;
        this.format = format;
        this.columns = columns;
        this.width = columns.stream().mapToInt(c -> Math.max(c.length(), MIN_WIDTH)).toArray();
    }

    /** Writes rows that arrived together; the first batch sizes the table's columns. */
    public void writeAll(List<OutputRow> rows) {
        if (format == Format.TABLE && !headerDone) {
            rows.forEach(r -> widen(cells(r)));
        }
        rows.forEach(this::write);
    }

    public void write(OutputRow row) {
        if (format == Format.JSONL) {
            out.println(row.row().toString());
            return;
        }
        if (format == Format.RECORDS) {
            out.println(row.record() == null ? row.row().toString() : row.record().toString());
            return;
        }
        if (!headerDone) {
            line(columns.toArray(new String[0]), "");
            StringBuilder rule = new StringBuilder();
            for (int w : width) {
                rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
            }
            out.println(rule);
            headerDone = true;
        }
        String[] cells = cells(row);
        widen(cells);
        line(cells, row.delete() ? "   (deleted)" : "");
    }

    private String[] cells(OutputRow row) {
        String[] cells = new String[columns.size()];
        ObjectNode node = row.row();
        for (int i = 0; i < cells.length; i++) {
            JsonNode v = node.get(columns.get(i));
            cells[i] = v == null ? "" : v.isNull() ? "NULL" : v.isTextual() ? v.asText() : v.toString();
        }
        return cells;
    }

    private void widen(String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            width[i] = Math.max(width[i], cells[i].length());
        }
    }

    public void flush() {
        out.flush();
    }

    private void line(String[] values, String suffix) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            sb.append(values[i]);
            if (i < values.length - 1) {
                sb.append(" ".repeat(Math.max(0, width[i] - values[i].length())));
            }
        }
        out.println(sb.append(suffix));
    }
}

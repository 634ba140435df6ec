package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** An aligned text table of replay rows, the default on a terminal. */
public final class TablePrinter {
    private TablePrinter() {
    }

    public static String render(ReplayResult result) {
        List<String> columns = result.columns();
        List<String[]> cells = new ArrayList<>();
        int[] width = columns.stream().mapToInt(String::length).toArray();
        for (ObjectNode row : result.rows()) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < line.length; i++) {
                JsonNode v = row.get(columns.get(i));
                line[i] = v == null || v.isNull() ? "NULL" : v.isTextual() ? v.asText() : v.toString();
                width[i] = Math.max(width[i], line[i].length());
            }
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, columns.toArray(new String[0]), width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
        }
        sb.append(rule).append('\n');
        cells.forEach(c -> appendLine(sb, c, width));
        sb.append('(').append(cells.size()).append(cells.size() == 1 ? " row)\n" : " rows)\n");
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] values, int[] width) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            sb.append(values[i]);
            if (i < values.length - 1) {
                // no trailing blanks after the last column
                sb.append(" ".repeat(width[i] - values[i].length()));
            }
        }
        sb.append('\n');
    }
}

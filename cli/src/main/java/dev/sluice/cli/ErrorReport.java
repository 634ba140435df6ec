package dev.sluice.cli;

import dev.sluice.grammar.SqlException;

/**
 * Formats a SQL error the way compilers do: {@code file:line:col: error: message}, the source line,
 * a caret under the column, and the hint when there is one.
 */
public final class ErrorReport {
    private ErrorReport() {
    }

    public static String format(SqlException e, String file, String source) {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(':').append(e.line()).append(':').append(e.column()).append(": error: ")
                .append(e.getMessage().replace("\n", "\n  ")).append('\n'); // ksqlDB's words may take lines
        String[] lines = source.split("\r?\n", -1);
        if (e.line() >= 1 && e.line() <= lines.length) {
            String line = lines[e.line() - 1];
            sb.append("  ").append(line).append('\n');
            StringBuilder caret = new StringBuilder("  ");
            for (int i = 0; i < Math.max(e.column() - 1, 0) && i < line.length(); i++) {
                caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
            }
            sb.append(caret).append("^\n");
        }
        e.hint().ifPresent(h -> sb.append("  hint: ").append(h).append('\n'));
        return sb.toString();
    }
}

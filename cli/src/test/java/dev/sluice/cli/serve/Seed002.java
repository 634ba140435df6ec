package dev.sluice.cli.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 002 (a PostgreSQL tutorial over {@code training_runs}) split into its SQL statements, each
 * with the document line it starts on: the ```sql blocks, without {@code --} comments and psql's
 * backslash commands, cut at a line-ending semicolon.
 */
final class Seed002 {
    static final String FILE = "002_598eb1ca46cb4186.txt";

    /** One statement of the seed and the line of the document it starts on. */
    record Statement(int line, String sql) {
        String verb() {
            return sql.strip().split("\\s+")[0].toUpperCase(Locale.ROOT);
        }

        boolean isSelect() {
            return verb().equals("SELECT") || verb().equals("WITH");
        }

        String oneLine() {
            return sql.strip().replaceAll("\\s+", " ");
        }
    }

    private Seed002() {
    }

    static List<Statement> statements(Path repoRoot) {
        String text;
        try {
            text = Files.readString(repoRoot.resolve("grammar/src/test/resources/seeds/" + FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] lines = text.split("\n", -1);
        List<Statement> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals("```sql")) {
                continue;
            }
            StringBuilder sql = new StringBuilder();
            int start = -1;
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals("```"); j++) {
                String code = withoutComment(lines[j]);
                if (code.strip().startsWith("\\") || code.isBlank()) {
                    continue; // psql meta-commands (\d, \copy ...) are not SQL
                }
                if (start < 0) {
                    start = j + 1;
                }
                sql.append(code).append('\n');
                if (code.stripTrailing().endsWith(";")) {
                    String s = sql.toString().strip();
                    out.add(new Statement(start, s.substring(0, s.length() - 1)));
                    sql.setLength(0);
                    start = -1;
                }
            }
            i = j;
        }
        return out;
    }

    /** The line up to a {@code --} comment that is not inside a string literal. */
    private static String withoutComment(String line) {
        boolean quoted = false;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '-' && k + 1 < line.length() && line.charAt(k + 1) == '-') {
                return line.substring(0, k);
            }
        }
        return line;
    }
}

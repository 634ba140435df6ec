package dev.sluice.cli.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripts a fuzzing campaign starts from, read from files:
 * <ul>
 *   <li>{@code *.sql} files (the shipped pipelines, the oracle's DDL). A folder's {@code ddl.sql}
 *       is put before each other script of that folder, as the Nexmark queries are assembled;</li>
 *   <li>documents ({@code *.txt}, {@code *.md}) with {@code ```sql} fenced blocks, as the user's
 *       seeds: the whole document's blocks as one script, and each block on its own.</li>
 * </ul>
 */
public final class FuzzCorpus {
    private FuzzCorpus() {
    }

    /** Every script under the given files or folders; folders that do not exist are skipped. */
    public static List<String> load(List<Path> roots) {
        List<String> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".sql") && !name.equals("ddl.sql")) {
                        Path ddl = f.resolveSibling("ddl.sql");
                        String prefix = Files.exists(ddl) ? Files.readString(ddl) + "\n" : "";
                        out.add(prefix + Files.readString(f));
                    } else if (name.endsWith(".txt") || name.endsWith(".md")) {
                        List<String> blocks = sqlBlocks(Files.readString(f));
                        if (!blocks.isEmpty()) {
                            out.add(String.join(";\n", blocks));
                            out.addAll(blocks);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The {@code ```sql} fenced blocks of a document. */
    static List<String> sqlBlocks(String document) {
        List<String> blocks = new ArrayList<>();
        String[] lines = document.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().equalsIgnoreCase("```sql")) {
                StringBuilder sql = new StringBuilder();
                int j = i + 1;
                for (; j < lines.length && !lines[j].trim().equals("```"); j++) {
                    sql.append(lines[j]).append('\n');
                }
                blocks.add(sql.toString());
                i = j;
            }
        }
        return blocks;
    }
}

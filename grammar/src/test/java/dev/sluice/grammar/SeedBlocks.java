package dev.sluice.grammar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The ```sql fenced blocks of a seed document (copied into test resources), with where they start. */
final class SeedBlocks {
    static final String TUTORIAL = "000_6996cff85c32b161.txt";
    static final String INTEGRATION_GUIDE = "001_137296528b402ae0.txt";
    static final String DASHBOARD_SCHEMA = "004_16473de750a600ee.txt";
    /** Seed 002, a PostgreSQL tutorial: compared against PostgreSQL itself by the CLI's Seed002PostgresTest. */
    static final String POSTGRES_TUTORIAL = "002_598eb1ca46cb4186.txt";

    /**
     * One fenced block. {@code fenceLine} is the 1-based line of the opening fence; the block's first
     * SQL line is {@code fenceLine + 1}. {@code section} is the nearest heading above it.
     */
    record Block(String file, int fenceLine, String section, String sql) {
        String name() {
            return file + ":" + fenceLine + " (" + section + ")";
        }

        /** The file line of a line inside the block (1-based within the block). */
        int fileLine(int lineInBlock) {
            return fenceLine + lineInBlock;
        }
    }

    private SeedBlocks() {
    }

    static String read(String file) {
        try (InputStream in = SeedBlocks.class.getResourceAsStream("/seeds/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource seeds/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Block> sqlBlocks(String file) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = read(file).split("\n", -1);
        String section = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "").trim();
            }
            if (line.trim().equals("```sql")) {
                StringBuilder sql = new StringBuilder();
                int j = i + 1;
                while (j < lines.length && !lines[j].trim().equals("```")) {
                    sql.append(lines[j]).append('\n');
                    j++;
                }
                blocks.add(new Block(file, i + 1, section, sql.toString()));
                i = j;
            }
        }
        return blocks;
    }
}

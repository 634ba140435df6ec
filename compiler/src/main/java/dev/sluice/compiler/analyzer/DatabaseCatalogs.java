package dev.sluice.compiler.analyzer;

import java.util.List;
import java.util.Locale;

/**
 * Names of a database's own catalog and statistics ({@code pg_stat_user_indexes},
 * {@code pg_catalog.*}, {@code information_schema.*}): a query over them asks the database about
 * itself, which only the database can answer.
 */
final class DatabaseCatalogs {
    private DatabaseCatalogs() {
    }

    static boolean isCatalog(List<String> parts) {
        if (parts.isEmpty()) {
            return false;
        }
        String first = parts.get(0).toLowerCase(Locale.ROOT);
        String last = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
        return first.equals("pg_catalog") || first.equals("information_schema") || last.startsWith("pg_stat")
                || last.startsWith("pg_statio") || parts.size() == 1 && last.startsWith("pg_");
    }
}

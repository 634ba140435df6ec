package dev.sluice.compiler;

import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;

import java.util.Locale;
import java.util.Map;

/**
 * The ids a compiled script gives what it builds: its application, its queries, the connectors of
 * its endpoints. They are derived from names in the script, so they stay the same from one
 * compilation to the next (stable topic, store and consumer-group names).
 */
final class ScriptIds {
    private ScriptIds() {
    }

    /** SET 'application.id' anywhere in the script wins over the default derived from its name. */
    static String applicationId(Script script, String scriptName) {
        String id = "sluice-" + sanitize(scriptName);
        for (ParsedStatement parsed : script.statements()) {
            if (parsed.statement() instanceof Statement.Set set && set.key().equals("application.id")) {
                id = set.value();
            }
        }
        return id;
    }

    /**
     * A query id from {@code base}, counted in {@code counts}: the first query of a name keeps it
     * ({@code select} queries are always numbered), later ones get {@code _2}, {@code _3}, ...
     */
    static String uniqueId(String base, Map<String, Integer> counts) {
        int n = counts.merge(base, 1, Integer::sum);
        return base.equals("select") ? base + "_" + n : n == 1 ? base : base + "_" + n;
    }

    /** A name as it may stand in an id: lower case, anything but letters, digits and _ folded to one _. */
    static String sanitize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    }
}

package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.Statement;

import java.util.Locale;

/**
 * ksqlDB's {@code CREATE SOURCE STREAM|TABLE}: a source that only reads its topic. Queries read it
 * like any other; what would write to it or redefine it is refused in ksqlDB's words (its
 * {@code DdlCommandExec} and {@code InsertIntoValidator}): CREATE OR REPLACE, ALTER, DROP … DELETE
 * TOPIC and INSERT INTO (the last in {@link KsqlInserts}).
 */
final class ReadOnlySources {
    private ReadOnlySources() {
    }

    /** A declaration, before it is registered: records whether the source is read-only. */
    static void declare(Statement.CreateSource create, Catalog catalog) {
        String kind = kind(create.kind());
        boolean replacesReadOnly = create.orReplace() && catalog.readOnly(create.name().toString());
        if (create.orReplace() && create.readOnly() || replacesReadOnly) {
            throw new SqlException(create.location(), "Cannot add " + kind + " '" + name(create.name()) + "': CREATE OR "
                    + "REPLACE is not supported on source " + kind + "s.", "a SOURCE " + kind + " is declared once; "
                    + "DROP it and declare it again to change it");
        }
        catalog.readOnly(create.name().toString(), create.readOnly());
    }

    static void alter(Statement.Alter alter, Catalog catalog) {
        if (catalog.readOnly(alter.name().toString())) {
            String kind = kind(alter.kind());
            throw new SqlException(alter.location(), "Cannot alter " + kind + " '" + name(alter.name()) + "': ALTER "
                    + "operations are not supported on source " + kind + "s.", "a SOURCE " + kind + " has the columns "
                    + "of its declaration; DROP it and declare it again to change them");
        }
    }

    static void drop(Statement.Drop drop, Catalog catalog) {
        if (drop.deleteTopic() && catalog.readOnly(drop.name().toString())) {
            throw new SqlException(drop.location(), "Cannot delete topic for read-only source: " + name(drop.name()),
                    "a SOURCE only reads its topic; drop it without DELETE TOPIC");
        }
        catalog.readOnly(drop.name().toString(), false);
    }

    private static String kind(Statement.ObjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** As ksqlDB prints a source name: unquoted names upper-cased. */
    static String name(QualifiedName name) {
        Identifier last = name.parts().get(name.parts().size() - 1);
        return last.quoted() ? last.value() : last.value().toUpperCase(Locale.ROOT);
    }
}

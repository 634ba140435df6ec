package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.analyzer.TypeResolver;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.CheckConstraint;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlFormatter;
import dev.sluice.grammar.ast.AlterAction;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code ALTER STREAM|TABLE name ADD COLUMN | DROP COLUMN | ALTER COLUMN ... TYPE | ADD CONSTRAINT
 * ... CHECK (...)}: changes the catalog entry that the queries after the statement read (a compiled
 * application is rebuilt from its script, so "after" is all there is). A new column reads as NULL
 * from records that lack it; a CHECK is enforced on every record those queries read.
 * Operational verbs (PAUSE, RESUME, RESET OFFSET, SET) stay notes.
 */
final class AlterStatements {
    private AlterStatements() {
    }

    /** Whether the statement changes the schema or constraints (otherwise it is only a note). */
    static boolean changesSchema(Statement.Alter alter) {
        return alter.actions().stream().anyMatch(a -> a instanceof AlterAction.AddColumn
                || a instanceof AlterAction.DropColumn || a instanceof AlterAction.AlterColumnType
                || a instanceof AlterAction.AddConstraint);
    }

    static void apply(Statement.Alter alter, Catalog catalog, List<String> notes) {
        String name = alter.name().toString();
        SourceDefinition source = catalog.lookup(name).orElseThrow(() -> new SqlException(alter.name().location(),
                "ALTER of unknown stream or table `" + name + "`", Suggestions.hint(alter.name().simpleName(),
                        catalog.all().stream().map(SourceDefinition::name).toList())));
        List<Column> columns = new ArrayList<>(source.schema().columns());
        OptionalInt rowtime = source.rowtimeColumn();
        for (AlterAction action : alter.actions()) {
            if (action instanceof AlterAction.AddColumn add) {
                String column = add.column().name().value();
                if (index(columns, column) >= 0) {
                    throw new SqlException(add.column().name().location(), "`" + source.name() + "` already has a column `"
                            + column + "`", "ALTER COLUMN " + column + " TYPE ... changes its type");
                }
                columns.add(new Column(column, TypeResolver.resolve(add.column().type()), !add.column().notNull()));
                // records written before the column existed do not carry it: they read the DEFAULT
                add.column().defaultValue().ifPresent(d -> {
                    catalog.addDefault(source.name(), column, d);
                    notes.add(source.name() + "." + column + ": DEFAULT " + SqlFormatter.format(d)
                            + " for records without it (or with NULL)");
                });
            } else if (action instanceof AlterAction.DropColumn drop) {
                int i = existing(columns, drop.column(), source);
                if (source.primaryKey().stream().anyMatch(k -> k.equalsIgnoreCase(drop.column().value()))) {
                    throw new SqlException(drop.column().location(), "cannot drop `" + drop.column().value()
                            + "`: it is the primary key of " + source.name());
                }
                if (rowtime.isPresent() && rowtime.getAsInt() == i) {
                    throw new SqlException(drop.column().location(), "cannot drop `" + drop.column().value()
                            + "`: it is the event time of " + source.name());
                }
                columns.remove(i);
                if (rowtime.isPresent() && rowtime.getAsInt() > i) {
                    rowtime = OptionalInt.of(rowtime.getAsInt() - 1);
                }
            } else if (action instanceof AlterAction.AlterColumnType type) {
                int i = existing(columns, type.column(), source);
                Column old = columns.get(i);
                columns.set(i, new Column(old.name(), TypeResolver.resolve(type.type()), old.nullable()));
            } else if (action instanceof AlterAction.AddConstraint check) {
                if (catalog.checks(source.name()).stream().anyMatch(c -> c.name().equalsIgnoreCase(check.name().value()))) {
                    throw new SqlException(check.name().location(), source.name() + " already has a constraint `"
                            + check.name().value() + "`");
                }
                catalog.addCheck(source.name(), new CheckConstraint(check.name().value(), check.check(),
                        SqlFormatter.format(check.check())));
            } else {
                notes.add(source.name() + ": " + action.getClass().getSimpleName() + " at line "
                        + action.location().line() + " has no effect in a compiled application (accepted for compatibility)");
            }
        }
        SourceDefinition altered = new SourceDefinition(source.name(), source.kind(), new Schema(columns),
                source.primaryKey(), rowtime, source.watermarkDelayMs(), source.format(), source.global(),
                List.of(), source.location(), source.recordKeyColumns().stream()
                        .filter(k -> index(columns, k) >= 0).toList());
        catalog.register(altered);
        // the columns must still make sense for every constraint
        for (CheckConstraint c : catalog.checks(source.name())) {
            for (Identifier ref : columnsOf(c)) {
                if (index(columns, ref.value()) < 0) {
                    throw new SqlException(ref.location(), "constraint " + c.name() + " reads `" + ref.value()
                            + "`, which " + source.name() + " does not have", Suggestions.hint(ref.value(),
                            columns.stream().map(Column::name).toList()));
                }
            }
        }
        notes.add("ALTER " + source.name() + ": now " + SchemaDiscovery.describe(altered.schema())
                + (catalog.checks(source.name()).isEmpty() ? "" : " with CHECK "
                + String.join(", ", catalog.checks(source.name()).stream().map(CheckConstraint::name).toList())));
    }

    private static List<Identifier> columnsOf(CheckConstraint c) {
        List<Identifier> out = new ArrayList<>();
        dev.sluice.compiler.analyzer.AstWalker.walk(c.condition(), n -> true, n -> {
            if (n instanceof dev.sluice.grammar.ast.Expression.ColumnRef ref && ref.parts().size() == 1) {
                out.add(ref.parts().get(0));
            }
        });
        return out;
    }

    private static int existing(List<Column> columns, Identifier name, SourceDefinition source) {
        int i = index(columns, name.value());
        if (i < 0) {
            throw new SqlException(name.location(), "`" + source.name() + "` has no column `" + name.value() + "`",
                    Suggestions.hint(name.value(), columns.stream().map(Column::name).toList()));
        }
        return i;
    }

    private static int index(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}

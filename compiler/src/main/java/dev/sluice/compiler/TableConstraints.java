package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.AstWalker;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.CheckConstraint;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlFormatter;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.TableConstraint;
import dev.sluice.serdes.row.Column;

import java.util.List;

/**
 * The constraints written among a CREATE's columns. A CHECK is enforced on every record of the
 * source, exactly as one added later by {@code ALTER ... ADD CONSTRAINT}: a violating record is
 * dead-lettered with the constraint's name. An unnamed CHECK is named as PostgreSQL names it
 * ({@code <table>_check}, then {@code <table>_check1}, ...). A UNIQUE is accepted with a note: a
 * database enforces it with an index over every row it holds; a stream has no such index. A
 * column's DEFAULT is the value of a record that does not carry the column (or carries NULL: a
 * JSON reader cannot tell the two apart), applied before the CHECKs, as a database does.
 */
final class TableConstraints {
    private TableConstraints() {
    }

    static void apply(Statement.CreateSource create, SourceDefinition source, Catalog catalog, List<String> notes) {
        catalog.clearChecks(source.name());
        for (var column : create.columns()) {
            column.defaultValue().ifPresent(d -> catalog.addDefault(source.name(), column.name().value(), d));
        }
        int unnamed = 0;
        for (TableConstraint constraint : create.constraints()) {
            if (constraint instanceof TableConstraint.Check check) {
                String name;
                if (check.name().isPresent()) {
                    name = check.name().get().value();
                } else {
                    name = source.name() + "_check" + (unnamed == 0 ? "" : String.valueOf(unnamed));
                    unnamed++;
                }
                String named = name;
                if (catalog.checks(source.name()).stream().anyMatch(c -> c.name().equalsIgnoreCase(named))) {
                    throw new SqlException(check.location(), source.name() + " already has a constraint `" + name + "`");
                }
                columnsExist(check.condition(), source, name);
                catalog.addCheck(source.name(), new CheckConstraint(name, check.condition(),
                        SqlFormatter.format(check.condition())));
            } else {
                TableConstraint.Unique unique = (TableConstraint.Unique) constraint;
                notes.add(source.name() + ": UNIQUE " + unique.name().map(n -> n.value() + " ").orElse("") + "at line "
                        + unique.location().line() + " is not enforced: a database checks uniqueness with an index over "
                        + "the rows it holds; a stream has none (deduplicate with ROW_NUMBER() or DISTINCT ON instead)");
            }
        }
        if (!catalog.checks(source.name()).isEmpty()) {
            notes.add(source.name() + ": CHECK " + String.join(", ", catalog.checks(source.name()).stream()
                    .map(CheckConstraint::name).toList()) + " enforced on every record (a violation goes to the "
                    + "dead-letter topic with the constraint's name)");
        }
    }

    private static void columnsExist(Expression condition, SourceDefinition source, String constraint) {
        List<String> names = source.schema().columns().stream().map(Column::name).toList();
        AstWalker.walk(condition, n -> true, n -> {
            if (n instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                    && names.stream().noneMatch(c -> c.equalsIgnoreCase(ref.parts().get(0).value()))) {
                throw new SqlException(ref.location(), "constraint " + constraint + " reads `" + ref.parts().get(0).value()
                        + "`, which " + source.name() + " does not have", Suggestions.hint(ref.parts().get(0).value(), names));
            }
        });
    }
}

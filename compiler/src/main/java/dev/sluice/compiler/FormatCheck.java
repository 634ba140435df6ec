package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Locale;

/**
 * A source's or sink's format options, checked where they are declared: the serdes the topology
 * builder will make are made here once, so a bad option value is a SQL error at its property (or
 * the declaration) rather than an internal error when the topology is built. Unknown format names
 * are caught before, with a did-you-mean ({@code SourceDeclarations.checkFormats}).
 */
final class FormatCheck {
    private FormatCheck() {
    }

    /**
     * @param declared the WITH properties as written (for their places); {@code where} is used when
     *                 the failing option cannot be pinned to one property
     */
    static void check(FormatSpec spec, List<Property> declared, NodeLocation where, Schema keySchema, Schema schema) {
        try {
            // What the topology builder will do with these options, done now: a bad option value
            // (a delimiter, a flag, a missing Serde class) is reported here, at the declaration.
            FormatSerdeFactory serdes = new FormatSerdeFactory();
            serdes.value(schema, spec);
            serdes.key(keySchema, spec);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SqlException(locate(e.getMessage(), declared, where), e.getMessage());
        }
    }

    /** The property the message quotes (its key), else the whole declaration. */
    private static NodeLocation locate(String message, List<Property> declared, NodeLocation where) {
        if (message != null) {
            String lower = message.toLowerCase(Locale.ROOT);
            for (Property p : declared) {
                if (lower.contains("'" + p.key().toLowerCase(Locale.ROOT) + "'")) {
                    return p.location();
                }
            }
        }
        return where;
    }
}

package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A source's or sink's formats and format options, checked where they are declared: an unknown
 * format name or option value is a SQL error at its property, with a did-you-mean, rather than an
 * internal error when the topology is built.
 */
final class FormatCheck {
    private static final Set<String> FORMAT_KEYS = Set.of("format", "value_format", "value.format", "key_format",
            "key.format");
    /** A Serde class decides the bytes: the format name beside it is informational. */
    private static final Set<String> SERDE_KEYS = Set.of("value.serde", "value_serde", "deserializer_class",
            "value.deserializer", "key.serde", "key_serde");

    private FormatCheck() {
    }

    /**
     * @param declared the WITH properties as written (for their places); {@code where} is used when
     *                 the failing option cannot be pinned to one property
     */
    static void check(FormatSpec spec, List<Property> declared, NodeLocation where, Schema keySchema, Schema schema) {
        boolean serdeClass = declared.stream().anyMatch(p -> SERDE_KEYS.contains(p.key().toLowerCase(Locale.ROOT)));
        for (Property p : declared) {
            if (!serdeClass && FORMAT_KEYS.contains(p.key().toLowerCase(Locale.ROOT))) {
                String value = SourceDeclarations.value(p.value());
                String name = OptionKeys.normalizedName(value);
                if (!name.equals("custom") && Formats.lookup(name).isEmpty()) {
                    List<String> known = new ArrayList<>(Formats.names());
                    String hint = Suggestions.hint(name, known);
                    throw new SqlException(p.location(), "unknown format '" + value + "'",
                            (hint == null ? "" : hint + " ") + "(formats: " + String.join(", ", known)
                                    + "; or name a Serde class with 'value.serde')");
                }
            }
        }
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

    /** The columns at {@code positions} ({@code inside}), or all the others. */
    static Schema only(Schema schema, List<Integer> positions, boolean inside) {
        List<dev.sluice.serdes.row.Column> columns = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            if (positions.contains(i) == inside) {
                columns.add(schema.column(i));
            }
        }
        return new Schema(columns);
    }

    /** The property the message quotes (its key), else the whole declaration. */
    private static NodeLocation locate(String message, List<Property> declared, NodeLocation where) {
        if (message != null) {
            String lower = message.toLowerCase(Locale.ROOT);
            for (Property p : declared) {
                String key = p.key().toLowerCase(Locale.ROOT);
                // quoted, or the subject of the message ("deserializer_class class '...' is not on the classpath")
                if (lower.contains("'" + key + "'") || lower.startsWith(key + " ")) {
                    return p.location();
                }
            }
        }
        return where;
    }
}

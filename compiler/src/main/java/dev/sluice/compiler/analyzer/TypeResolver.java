package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.TypeSpec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.List;
import java.util.Locale;

/** Maps a type as written ({@code VARCHAR(255)}, {@code DECIMAL(10,2)}, {@code MAP<..>}) to a row type. */
public final class TypeResolver {
    private static final List<String> NAMES = List.of("VARCHAR", "STRING", "TEXT", "CHAR", "BOOLEAN", "INTEGER",
            "INT", "SMALLINT", "TINYINT", "BIGINT", "DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "TIMESTAMP",
            "DATE", "TIME", "BYTES", "VARBINARY", "JSON", "JSONB", "VARIANT", "UUID", "INTERVAL");

    private TypeResolver() {
    }

    /**
     * For a declared TIMESTAMP(p) with p above 3 (also inside ARRAY/MAP/ROW): what is cut. Sluice's
     * TIMESTAMP is TIMESTAMP(3) (epoch milliseconds); the declaration is accepted, with this note.
     */
    public static java.util.Optional<String> precisionCut(TypeSpec spec) {
        java.util.Optional<String>[] found = new java.util.Optional[]{java.util.Optional.empty()};
        AstWalker.walk(spec, n -> true, n -> {
            if (n instanceof TypeSpec.Named t && t.name().toUpperCase(Locale.ROOT).startsWith("TIMESTAMP")
                    && !t.parameters().isEmpty() && t.parameters().get(0) > 3 && found[0].isEmpty()) {
                found[0] = java.util.Optional.of("TIMESTAMP(" + t.parameters().get(0) + "): Sluice's TIMESTAMP is "
                        + "TIMESTAMP(3), digits below the millisecond are cut when read");
            }
        });
        return found[0];
    }

    public static SqlType resolve(TypeSpec spec) {
        if (spec instanceof TypeSpec.Array a) {
            return new ArrayType(resolve(a.element()));
        }
        if (spec instanceof TypeSpec.Map m) {
            return new MapType(resolve(m.key()), resolve(m.value()));
        }
        if (spec instanceof TypeSpec.Struct s) {
            return new StructType(s.fields().stream()
                    .map(f -> new Column(f.name().value(), resolve(f.type()))).toList());
        }
        TypeSpec.Named named = (TypeSpec.Named) spec;
        String name = named.name().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        List<Integer> p = named.parameters();
        if (name.startsWith("TIMESTAMP")) {
            return name.contains("TIME ZONE") ? ScalarType.TIMESTAMP_LTZ : ScalarType.TIMESTAMP;
        }
        return switch (name) {
            case "VARCHAR", "STRING", "TEXT", "CHAR", "CHARACTER VARYING", "UUID" -> ScalarType.VARCHAR;
            case "BOOLEAN", "BOOL" -> ScalarType.BOOLEAN;
            case "INTEGER", "INT", "SMALLINT", "TINYINT" -> ScalarType.INTEGER;
            case "BIGINT" -> ScalarType.BIGINT;
            case "DOUBLE", "DOUBLE PRECISION", "FLOAT", "REAL" -> ScalarType.DOUBLE;
            case "DECIMAL", "NUMERIC", "DEC" -> decimal(named, p);
            case "DATE" -> ScalarType.DATE;
            case "TIME" -> ScalarType.TIME; // TIME(p) too: milliseconds are kept whatever the precision
            case "BYTES", "VARBINARY", "BYTEA" -> ScalarType.BYTES;
            case "JSON", "JSONB", "VARIANT", "OBJECT" -> ScalarType.VARIANT;
            case "INTERVAL" -> ScalarType.INTERVAL;
            default -> throw new SqlException(named.location(), "unknown type " + named.name(),
                    Suggestions.hint(name, NAMES));
        };
    }

    private static SqlType decimal(TypeSpec.Named named, List<Integer> p) {
        int precision = p.isEmpty() ? 10 : p.get(0);
        int scale = p.size() < 2 ? 0 : p.get(1);
        if (precision < 1 || precision > DecimalType.MAX_PRECISION || scale < 0 || scale > precision) {
            throw new SqlException(named.location(), "invalid DECIMAL(" + precision + ", " + scale
                    + "): precision must be 1.." + DecimalType.MAX_PRECISION + " and scale 0..precision");
        }
        return new DecimalType(precision, scale);
    }
}

package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.plan.HeaderColumns;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * ksqlDB's rules for header columns ({@code HEADERS}, {@code HEADER('k')}), in its words: their types,
 * and that nothing writes them (a header column is read from each record, it is not a value).
 */
final class KsqlHeaderColumns {
    private KsqlHeaderColumns() {
    }

    /** {@code HEADERS} must be {@code ARRAY<STRUCT<KEY STRING, VALUE BYTES>>}, {@code HEADER('k')} BYTES. */
    static void checkType(ColumnDefinition c, SqlType type) {
        var header = c.header().orElseThrow();
        if (header.key().isPresent() && type != ScalarType.BYTES) {
            throw new SqlException(c.type().location(), "Invalid type for HEADER('" + header.key().get()
                    + "') column: expected BYTES, got " + KsqlText.type(type),
                    "a HEADER('k') column holds the header's bytes: declare it BYTES");
        }
        if (header.key().isEmpty() && !sameHeadersType(type)) {
            throw new SqlException(c.type().location(), "Invalid type for HEADERS column: expected "
                    + KsqlText.type(HeaderColumns.ALL_TYPE) + ", got " + KsqlText.type(type),
                    "a HEADERS column holds every header: declare it ARRAY<STRUCT<KEY STRING, VALUE BYTES>>");
        }
    }

    private static boolean sameHeadersType(SqlType type) {
        return KsqlText.type(type).equals(KsqlText.type(HeaderColumns.ALL_TYPE));
    }

    /** The header columns of a source, by name (none for a source without). */
    static List<String> of(SourceDefinition source) {
        return HeaderColumns.of(source.format()).bindings().stream().map(HeaderColumns.Binding::column).toList();
    }

    /** ksqlDB's {@code AstSanitizer}: INSERT INTO … SELECT into a source with header columns. */
    static void checkInsertSelect(SourceDefinition target, NodeLocation at) {
        if (!of(target).isEmpty()) {
            throw new SqlException(at, "Cannot insert into " + target.name() + " because it has header columns",
                    "a query writes values, not headers: insert into a stream without header columns");
        }
    }
}

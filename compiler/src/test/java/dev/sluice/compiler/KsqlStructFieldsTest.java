package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ksqlDB's {@code struct->*}: every field of a STRUCT, each a column named after its field. */
class KsqlStructFieldsTest {
    private static final String INPUT = "CREATE STREAM INPUT (k1 INT KEY, v1 STRUCT<a INT, b STRUCT<`f 1` VARCHAR>>, "
            + "n INT) WITH (kafka_topic='t', format='JSON');\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(INPUT + sql, "fields", BuildOptions.PRODUCTION);
    }

    private static List<String> columns(String query) {
        return compile(query).queries().get(0).schema().columns().stream().map(c -> c.name() + " " + c.type().sql()).toList();
    }

    @Test
    void eachFieldBecomesAColumnBesideTheOthers() {
        assertEquals(List.of("K1 INTEGER", "A INTEGER", "B STRUCT<f 1 VARCHAR>", "N INTEGER"),
                columns("CREATE STREAM OUTPUT AS SELECT k1, v1->*, n FROM INPUT;"));
    }

    @Test
    void nestedAndQualifiedStructs() {
        assertEquals(List.of("K1 INTEGER", "f 1 VARCHAR"),
                columns("CREATE STREAM OUTPUT AS SELECT i.k1, i.v1->b->* FROM INPUT i;"));
    }

    @Test
    void onlyAStructHasFields() {
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE STREAM OUTPUT AS SELECT k1, n->* FROM INPUT;"));
        assertEquals("'->*' selects the fields of a STRUCT, and this expression is a INTEGER", e.getMessage());
    }
}

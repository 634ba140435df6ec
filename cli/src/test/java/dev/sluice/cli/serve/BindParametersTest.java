package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.grammar.SqlException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindParametersTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void replacesParametersButNotVariantPathsCastsStringsOrComments() {
        String sql = "SELECT 'a :x' FROM t -- :x\nWHERE c:template_id::VARCHAR = :x AND n > :n AND (:b)";
        assertEquals("SELECT 'a :x' FROM t -- :x\nWHERE c:template_id::VARCHAR = 'it''s' AND n > 3 AND (TRUE)",
                BindParameters.bind(sql, Map.of("x", F.textNode("it's"), "n", F.numberNode(3), "b", F.booleanNode(true))));
    }

    @Test
    void aMissingValueIsAnErrorAtTheParameter() {
        SqlException e = assertThrows(SqlException.class, () -> BindParameters.bind("SELECT *\n FROM t WHERE a = :missing", Map.of()));
        assertEquals(2, e.line());
        assertEquals(19, e.column());
    }
}

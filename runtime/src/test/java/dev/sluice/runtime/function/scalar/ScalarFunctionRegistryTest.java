package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class ScalarFunctionRegistryTest {

    @Test
    void lookupIsCaseInsensitiveAndFindsAliases() {
        assertSame(fn("SUBSTRING"), REGISTRY.lookup("substr").orElseThrow());
        assertSame(fn("%"), REGISTRY.lookup("Mod").orElseThrow());
        assertSame(fn("IS NOT NULL"), REGISTRY.lookup("is  not null").orElseThrow());
        assertEquals("SUBSTRING", REGISTRY.lookup("substr").orElseThrow().name());
    }

    @Test
    void namesAreUpperCaseAndCoverTheOperators() {
        for (String name : REGISTRY.names()) {
            assertEquals(name.toUpperCase(java.util.Locale.ROOT), name);
        }
        assertTrue(REGISTRY.names().containsAll(List.of("+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=",
                "NOT", "NEGATE", "IS NULL", "IS NOT NULL", "IS TRUE", "IS FALSE", "IS NOT TRUE", "IS NOT FALSE", "LIKE",
                "ILIKE", "IN", "BETWEEN", "CAST", "TRY_CAST", "SUBSCRIPT", "FIELD", "->", "->>", "VARIANT_GET",
                "NULLIF", "GREATEST", "LEAST", "EXTRACT", "DATE", "DATE_TRUNC", "TO_TIMESTAMP", "TO_DATE", "NOW",
                "CURRENT_TIMESTAMP", "CURRENT_DATE", "TIMESTAMPADD", "TIMESTAMPDIFF", "FROM_UNIXTIME", "UNIX_TIMESTAMP",
                "ROUND", "ABS", "FLOOR", "CEIL", "CEILING", "MOD", "POWER", "POW", "SQRT", "EXP", "LN", "LOG10", "LOG",
                "SIGN", "WIDTH_BUCKET", "RAND", "UPPER", "LOWER", "TRIM", "LTRIM", "RTRIM", "SUBSTR", "CONCAT",
                "CONCAT_WS", "LENGTH", "CHAR_LENGTH", "REPLACE", "POSITION", "STRPOS", "INITCAP", "LPAD", "RPAD",
                "SPLIT_PART", "REGEXP_REPLACE", "REGEXP_EXTRACT", "STARTS_WITH", "LEFT", "RIGHT", "REVERSE")));
        assertFalse(REGISTRY.names().contains("AND"), "AND is a special form of the evaluator");
        assertFalse(REGISTRY.names().contains("COALESCE"), "COALESCE is a special form of the evaluator");
    }

    /** Wrong arguments must give a FunctionException naming the function, never a crash. */
    @Test
    void everyFunctionRejectsWrongArgumentsWithAFunctionException() {
        SqlType struct = new StructType(List.of(new Column("x", ScalarType.INTEGER)));
        List<List<Expr>> wrong = List.of(
                List.of(),
                List.of(ref(0, struct)),
                List.of(ref(0, new ArrayType(ScalarType.INTEGER)), ref(1, ScalarType.BOOLEAN)),
                Collections.nCopies(6, ref(0, ScalarType.BYTES)));
        List<String> problems = new ArrayList<>();
        for (String name : REGISTRY.names()) {
            ScalarFunction f = fn(name);
            for (List<Expr> args : wrong) {
                try {
                    f.returnType(args);
                } catch (FunctionException e) {
                    if (!e.getMessage().startsWith(f.name())) {
                        problems.add(name + ": message does not start with the name: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problems.add(name + " " + Args.typeList(args) + ": " + e);
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}

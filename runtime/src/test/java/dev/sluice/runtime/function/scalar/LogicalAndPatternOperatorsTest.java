package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class LogicalAndPatternOperatorsTest {

    @Test
    void notOfNullIsNull() {
        assertEquals(false, eval("NOT", b(true)));
        assertNull(eval("NOT", nul(ScalarType.BOOLEAN)));
        assertThrows(FunctionException.class, () -> type("NOT", i(1)));
    }

    @Test
    void isPredicatesNeverReturnNull() {
        assertEquals(true, eval("IS NULL", nul(ScalarType.INTEGER)));
        assertEquals(false, eval("is not null", nul(ScalarType.INTEGER)));
        assertEquals(false, eval("IS TRUE", nul(ScalarType.BOOLEAN)));
        assertEquals(false, eval("IS FALSE", nul(ScalarType.BOOLEAN)));
        assertEquals(true, eval("IS NOT TRUE", nul(ScalarType.BOOLEAN)));
        assertEquals(true, eval("IS NOT FALSE", nul(ScalarType.BOOLEAN)));
        assertEquals(true, eval("IS NOT TRUE", b(false)));
        assertEquals(false, eval("IS NOT FALSE", b(false)));
    }

    @Test
    void likeMatchesPercentAndUnderscore() {
        assertEquals(true, eval("LIKE", s("abc"), s("a%")));
        assertEquals(true, eval("LIKE", s("abc"), s("%c")));
        assertEquals(true, eval("LIKE", s("abc"), s("%b%")));
        assertEquals(true, eval("LIKE", s("abc"), s("_b_")));
        assertEquals(false, eval("LIKE", s("abc"), s("a_")));
        assertEquals(true, eval("LIKE", s("abc"), s("abc")));
        assertEquals(false, eval("LIKE", s("abcd"), s("abc")));
        assertEquals(true, eval("LIKE", s(""), s("%")));
        assertEquals(true, eval("LIKE", s("a\nb"), s("a%b")));
        assertEquals(true, eval("LIKE", s("axxbyyc"), s("a%b%c")));
        assertNull(eval("LIKE", nul(ScalarType.VARCHAR), s("a%")));
    }

    @Test
    void likeTreatsRegexCharactersLiterally() {
        assertEquals(true, eval("LIKE", s("a.c"), s("a.c")));
        assertEquals(false, eval("LIKE", s("abc"), s("a.c")));
        assertEquals(true, eval("LIKE", s("(x)*"), s("(_)*")));
    }

    @Test
    void likeEscapes() {
        assertEquals(true, eval("LIKE", s("100%"), s("100\\%")));
        assertEquals(false, eval("LIKE", s("1000"), s("100\\%")));
        assertEquals(true, eval("LIKE", s("a_b"), s("a!_b"), s("!")));
        assertEquals(false, eval("LIKE", s("axb"), s("a!_b"), s("!")));
        assertThrows(FunctionException.class, () -> type("LIKE", s("a"), s("a"), s("!!")));
    }

    @Test
    void iLikeIgnoresCase() {
        assertEquals(true, eval("ILIKE", s("ABC"), s("a%")));
        assertEquals(false, eval("LIKE", s("ABC"), s("a%")));
    }

    @Test
    void likeWithAPatternFromAColumn() {
        List<Expr> args = List.of(ref(0, ScalarType.VARCHAR), ref(1, ScalarType.VARCHAR));
        assertEquals(true, evalWith("LIKE", args, "hello", "h%o"));
        assertEquals(false, evalWith("LIKE", args, "hello", "h%x"));
    }

    @Test
    void likeRejectsNonStrings() {
        FunctionException e = assertThrows(FunctionException.class, () -> type("LIKE", i(1), s("1")));
        assertEquals("LIKE expects (VARCHAR, VARCHAR pattern[, VARCHAR escape]), got (INTEGER, VARCHAR)", e.getMessage());
    }

    @Test
    void regexpFindsAnywhere() {
        assertEquals(true, eval("REGEXP", s("order-123"), s("\\d+")));
        assertEquals(false, eval("RLIKE", s("order"), s("\\d+")));
        assertThrows(FunctionException.class, () -> fn("REGEXP").implement(List.of(s("a"), s("(")), ScalarType.BOOLEAN));
    }
}

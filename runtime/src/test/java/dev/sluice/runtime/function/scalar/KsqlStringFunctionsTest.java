package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's string, URL and math functions, with the results its reference documents. */
class KsqlStringFunctionsTest {

    @Test
    void maskFamilyMasksByCharacterClassWithDefaultsOrGivenCharacters() {
        assertEquals("Xxxxx-nnn", eval("MASK", s("Hello-123")));
        assertEquals("Hxxxx-###", eval("MASK", s("Hello-123"), nul(ScalarType.VARCHAR), s("x"), s("#"), nul(ScalarType.VARCHAR)));
        assertEquals("Xxllo-123", eval("MASK_LEFT", s("Hello-123"), i(2)));
        assertEquals("Hello-1nn", eval("MASK_RIGHT", s("Hello-123"), i(2)));
        assertEquals("Hexxx-nnn", eval("MASK_KEEP_LEFT", s("Hello-123"), i(2)));
        assertEquals("Xxxxx-n23", eval("MASK_KEEP_RIGHT", s("Hello-123"), i(2)));
        assertEquals("XXXX", eval("MASK_LEFT", s("ABCD"), i(10)));
        assertNull(eval("MASK", nul(ScalarType.VARCHAR)));
        assertThrows(FunctionException.class, () -> eval("MASK_LEFT", s("abc"), i(-1)));
    }

    @Test
    void maskWithANullCharacterLeavesThatClassUnmasked() {
        assertEquals("Hxxxx-nnn", eval("MASK", s("Hxxxx-123"), nul(ScalarType.VARCHAR), s("x"), s("n"), s("-")));
        assertEquals("Hello-###", eval("MASK", s("Hello-123"), nul(ScalarType.VARCHAR), nul(ScalarType.VARCHAR),
                s("#"), nul(ScalarType.VARCHAR)));
    }

    @Test
    void md5IsLowerCaseHex() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", eval("MD5", s("hello")));
    }

    @Test
    void eltPicksTheNthStringOrNull() {
        assertEquals("b", eval("ELT", i(2), s("a"), s("b")));
        assertNull(eval("ELT", i(3), s("a"), s("b")));
        assertNull(eval("ELT", i(0), s("a")));
    }

    @Test
    void uuidIsRandomAndWellFormed() {
        Object a = eval("UUID");
        assertTrue(a.toString().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"));
        assertNotEquals(a, eval("UUID"));
    }

    @Test
    void splitToMapSkipsEntriesWithoutTheSeparator() {
        assertEquals(Map.of("apple", "green", "cherry", "red"),
                eval("SPLIT_TO_MAP", s("apple:=green/cherry:=red/plum"), s("/"), s(":=")));
        assertNull(eval("SPLIT_TO_MAP", s("a=b"), s("="), s("=")));
    }

    @Test
    void regexpExtractAllAndSplitToArray() {
        assertEquals(List.of("1", "23"), eval("REGEXP_EXTRACT_ALL", s("\\d+"), s("a1b23")));
        assertEquals(List.of("b", "d"), eval("REGEXP_EXTRACT_ALL", s("(\\w)(\\w)"), s("ab cd"), i(2)));
        assertNull(eval("REGEXP_EXTRACT_ALL", s("a"), s("a"), i(1)));
        assertEquals(List.of("a", "b", "", "c", ""), eval("REGEXP_SPLIT_TO_ARRAY", s("a-b--c-"), s("-")));
    }

    @Test
    void urlFunctionsReadTheParts() {
        String url = "https://user@docs.example.com:8080/path/x.html?a=1&b&c=x%20y#frag";
        assertEquals("docs.example.com", eval("URL_EXTRACT_HOST", s(url)));
        assertEquals(8080, eval("URL_EXTRACT_PORT", s(url)));
        assertNull(eval("URL_EXTRACT_PORT", s("http://example.com")));
        assertEquals("/path/x.html", eval("URL_EXTRACT_PATH", s(url)));
        assertEquals("a=1&b&c=x y", eval("URL_EXTRACT_QUERY", s(url)));
        assertEquals("frag", eval("URL_EXTRACT_FRAGMENT", s(url)));
        assertEquals("https", eval("URL_EXTRACT_PROTOCOL", s(url)));
        assertEquals("1", eval("URL_EXTRACT_PARAMETER", s(url), s("a")));
        assertEquals("", eval("URL_EXTRACT_PARAMETER", s(url), s("b")));
        assertNull(eval("URL_EXTRACT_PARAMETER", s(url), s("zz")));
        assertEquals("a+b%26c", eval("URL_ENCODE_PARAM", s("a b&c")));
        assertEquals("a b&c", eval("URL_DECODE_PARAM", s("a+b%26c")));
        assertThrows(FunctionException.class, () -> eval("URL_EXTRACT_HOST", s("http://a b")));
    }

    @Test
    void hyperbolicAndCotangent() {
        assertEquals(Math.cosh(1), eval("COSH", i(1)));
        assertEquals(Math.sinh(0.5), eval("SINH", dbl(0.5)));
        assertEquals(Math.tanh(2), eval("TANH", l(2)));
        assertEquals(1 / Math.tan(1), eval("COT", i(1)));
        assertNull(eval("COSH", nul(ScalarType.DOUBLE)));
    }

    @Test
    void randomIsBetweenZeroAndOne() {
        double r = (Double) eval("RANDOM");
        assertTrue(r >= 0 && r < 1);
    }

    @Test
    void geoDistanceInKilometresOrMiles() {
        // ksqlDB's geodistance.json: Palo Alto to London
        double km = (Double) eval("GEO_DISTANCE", dbl(37.4439), dbl(-122.1663), dbl(51.5257), dbl(-0.1122));
        assertEquals(8634.659796579544, km, 0.0); // to the last digit, as ksqlDB's file gives it
        assertEquals(0.03447366811448324, (Double) eval("GEO_DISTANCE", dbl(39.18660374), dbl(-76.73262144),
                dbl(39.18660374), dbl(-76.73222145)), 0.0);
        assertEquals(km, (Double) eval("GEO_DISTANCE", dbl(37.4439), dbl(-122.1663), dbl(51.5257), dbl(-0.1122),
                nul(ScalarType.VARCHAR)), 0.0); // a NULL unit is km
        assertNull(eval("GEO_DISTANCE", nul(ScalarType.DOUBLE), dbl(0), dbl(0), dbl(0)));
        double mi = (Double) eval("GEO_DISTANCE", dbl(37.4439), dbl(-122.1663), dbl(51.5257), dbl(-0.1122), s("mi"));
        assertEquals(8634.659796579544 / 6371 * 3959, mi, 1e-9);
        assertThrows(FunctionException.class, () -> eval("GEO_DISTANCE", dbl(91), dbl(0), dbl(0), dbl(0)));
        assertThrows(FunctionException.class, () -> eval("GEO_DISTANCE", dbl(1), dbl(0), dbl(0), dbl(0), s("parsec")));
    }
}

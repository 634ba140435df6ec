package dev.sluice.cli.nexmark;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code --udf-jar} jar that lists its functions in {@code META-INF/sluice/functions.properties}: the
 * script calls them without {@code CREATE FUNCTION}, and a script that still declares one with the same
 * class compiles too.
 */
class FunctionManifestTest {
    private static final String UDF = """
            package example.udf;
            public class Twice {
                public String eval(String s) {
                    return s + s;
                }
            }
            """;

    @TempDir
    Path dir;

    private Path jar(String manifest) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/example/udf")).resolve("Twice.java");
        Files.writeString(source, UDF);
        return UdfJar.build(dir, Map.of("META-INF/sluice/functions.properties", manifest), source);
    }

    private String[] replay(Path jar, String script) throws Exception {
        Path file = Files.writeString(dir.resolve("twice.sql"), script);
        Path input = Files.writeString(dir.resolve("words.jsonl"), "{\"word\":\"ab\",\"ts\":\"2024-01-01 00:00:01\"}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        int code;
        try {
            code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "replay", file.toString(),
                    "--udf-jar", jar.toString(), "--input", "words=" + input);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private static final String SELECT = """
            CREATE STREAM words (word VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
                WITH ('topic' = 'words', 'format' = 'json');
            SELECT word, twice(word) AS doubled FROM words;
            """;

    @Test
    void aFunctionTheManifestNamesIsCalledWithoutCreateFunction() throws Exception {
        String[] r = replay(jar("# the jar's functions\nTWICE = example.udf.Twice\n"), SELECT);
        assertEquals("0", r[0], r[2]);
        assertEquals("{\"word\":\"ab\",\"doubled\":\"abab\"}\n", r[1]);
    }

    @Test
    void aScriptMayStillDeclareTheSameFunction() throws Exception {
        String[] r = replay(jar("twice=example.udf.Twice\n"), "CREATE FUNCTION twice AS 'example.udf.Twice';\n" + SELECT);
        assertEquals("0", r[0], r[2]);
        assertEquals("{\"word\":\"ab\",\"doubled\":\"abab\"}\n", r[1]);
    }

    @Test
    void aManifestNamingAMissingClassIsAnErrorThatSaysWhichFunction() throws Exception {
        String[] r = replay(jar("TWICE = example.udf.Twice\nTHRICE = example.udf.Thrice\n"), SELECT);
        assertEquals("65", r[0], r[2]);
        assertTrue(r[2].contains("--udf-jar: function THRICE of ") && r[2].contains("class 'example.udf.Thrice' "
                + "was not found"), r[2]);
    }

    @Test
    void aManifestMayNotShadowABuiltInFunction() throws Exception {
        String[] r = replay(jar("UPPER = example.udf.Twice\n"), SELECT);
        assertEquals("65", r[0], r[2]);
        assertTrue(r[2].contains("has the name of a built-in function"), r[2]);
    }
}

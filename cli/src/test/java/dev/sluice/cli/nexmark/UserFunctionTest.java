package dev.sluice.cli.nexmark;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CREATE FUNCTION name AS 'class'} with the class in a jar given by {@code --udf-jar}: the
 * jar is compiled here, so the class is on no classpath but the jar's.
 */
class UserFunctionTest {
    private static final String UDF = """
            package example.udf;
            public class Shout {
                public String eval(String s) {
                    if (s.equals("boom")) {
                        throw new IllegalStateException("cannot shout boom");
                    }
                    return s.toUpperCase() + "!";
                }
                public String eval(String s, long times) {
                    return eval(s).repeat((int) times);
                }
            }
            """;

    private static final String SCRIPT = """
            CREATE FUNCTION shout AS 'example.udf.Shout';
            CREATE STREAM words (word VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
                WITH ('topic' = 'words', 'format' = 'json');
            SELECT word, shout(word) AS loud, shout(word, 2) AS louder FROM words;
            """;

    @TempDir
    Path dir;

    @Test
    void aFunctionFromTheJarIsCalledPerRowAndOneThatThrowsFailsOnlyItsRecord() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/example/udf")).resolve("Shout.java");
        Files.writeString(source, UDF);
        Path jar = UdfJar.build(dir, source);
        Path script = Files.writeString(dir.resolve("shout.sql"), SCRIPT);
        Path input = Files.writeString(dir.resolve("words.jsonl"), """
                {"word":"hi","ts":"2024-01-01 00:00:01"}
                {"word":"boom","ts":"2024-01-01 00:00:02"}
                {"word":"yo","ts":"2024-01-01 00:00:03"}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        int code;
        try {
            code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "replay", script.toString(),
                    "--udf-jar", jar.toString(), "--input", "words=" + input);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertEquals(0, code, err.toString());
        assertEquals("""
                {"word":"hi","loud":"HI!","louder":"HI!HI!"}
                {"word":"yo","loud":"YO!","louder":"YO!YO!"}
                """, out.toString());
        assertTrue(err.toString().contains("1 bad record(s) skipped"), err.toString());
    }

    @Test
    void withoutTheJarTheStatementSaysWhereTheClassShouldComeFrom() throws Exception {
        Path script = Files.writeString(dir.resolve("shout.sql"), SCRIPT);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "compile", script.toString());
        assertEquals(65, code);
        assertTrue(err.toString().contains("shout.sql:1:1: error: CREATE FUNCTION shout: class 'example.udf.Shout' "
                + "was not found; give the jar that holds it with --udf-jar"), err.toString());
    }
}

package dev.sluice.connect.file;

import dev.sluice.connect.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces the file connectors are made of: CSV fields, globs, typing, JSON in and out. */
class FileFormatsTest {

    @Test
    void csvFieldsHonourQuotesDoubledQuotesAndAnOtherDelimiter() {
        CsvParser csv = new CsvParser(',', '"');
        assertEquals(List.of("1", "ann, a.", "say \"hi\"", ""), csv.fields("1,\"ann, a.\",\"say \"\"hi\"\"\","));
        assertEquals(List.of("a", "b;c"), new CsvParser('|', '\'').fields("a|'b;c'"));
        assertFalse(csv.complete("1,\"starts here"), "an open quote continues on the next line");
        assertTrue(csv.complete("1,\"starts here\nends here\""));
    }

    @Test
    void aGlobStarStaysInOneDirectoryLevelAndHiddenFilesAreSkipped(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("year=2024/month=01/deeper"));
        Files.writeString(dir.resolve("year=2024/month=01/a.csv"), "x");
        Files.writeString(dir.resolve("year=2024/month=01/.a.csv.tmp"), "x");
        Files.writeString(dir.resolve("year=2024/month=01/deeper/b.csv"), "x");
        Files.writeString(dir.resolve("year=2024/c.csv"), "x");
        List<Path> found = FileGlob.of(dir + "/year=*/month=*/*.csv").list();
        assertEquals(List.of(dir.resolve("year=2024/month=01/a.csv")), found);
    }

    @Test
    void csvTextBecomesThePlannedTypeAndWhatDoesNotParseStaysText() {
        assertEquals(12L, FileSourceTask.typed("12", "BIGINT"));
        assertEquals(2.5, FileSourceTask.typed("2.5", "DOUBLE"));
        assertEquals(new BigDecimal("10.50"), FileSourceTask.typed("10.50", "DECIMAL(10, 2)"));
        assertEquals(Boolean.TRUE, FileSourceTask.typed("t", "BOOLEAN"));
        assertEquals("twelve", FileSourceTask.typed("twelve", "BIGINT"), "Sluice dead-letters it, it is not lost here");
        assertEquals(null, FileSourceTask.typed("", "BIGINT"));
        assertEquals("", FileSourceTask.typed("", "VARCHAR"));
    }

    @Test
    void jsonObjectsAreWrittenAndReadBackFieldByField() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("name", "a \"b\"\n");
        row.put("amount", new BigDecimal("1.50"));
        row.put("params", new Json.RawJson("{\"lr\":0.1,\"tags\":[\"x\"]}"));
        row.put("missing", null);
        String json = Json.object(row);
        assertEquals("{\"id\":1,\"name\":\"a \\\"b\\\"\\n\",\"amount\":1.50,\"params\":{\"lr\":0.1,\"tags\":[\"x\"]},"
                + "\"missing\":null}", json);
        Map<String, String> back = Json.fields(json);
        assertEquals("1", back.get("id"));
        assertEquals("a \"b\"\n", back.get("name"));
        assertEquals("{\"lr\":0.1,\"tags\":[\"x\"]}", back.get("params"));
        assertTrue(back.containsKey("missing") && back.get("missing") == null);
    }

    @Test
    void theSinkPathComesFromTheRowsColumnsFirstThenItsEventTime() {
        FileSinkTask task = new FileSinkTask();
        task.start(Map.of("path", "/archive/${date}/${hour}/year=${year}/${region}/"));
        long t = java.time.Instant.parse("2024-03-05T07:30:00Z").toEpochMilli();
        assertEquals("/archive/2024-03-05/07/year=1999/eu/", task.directory(t, Map.of("year", "1999", "region", "eu")));
        assertEquals("/archive/2024-03-05/07/year=2024/__unknown_region/", task.directory(t, Map.of()));
    }
}

package dev.sluice.connect.parquet;

import dev.sluice.connect.Json;
import dev.sluice.connect.file.FileSinkTask;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Parquet files: one written by an independent writer (hyparquet-writer, JavaScript; see
 * independent-writer.mjs beside the fixture) read through Apache Parquet's reader, and files the
 * file sink writes read back.
 */
class ParquetFilesTest {
    private static final String SCHEMA = """
            {"type":"record","name":"out","namespace":"dev.sluice.avro","fields":[
             {"name":"id","type":"long"},
             {"name":"name","type":["null","string"],"default":null},
             {"name":"amount","type":["null",{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}],"default":null},
             {"name":"at","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null},
             {"name":"day","type":["null",{"type":"int","logicalType":"date"}],"default":null},
             {"name":"address","type":["null",{"type":"record","name":"out_address","fields":[
               {"name":"city","type":["null","string"],"default":null},
               {"name":"zip","type":["null","int"],"default":null}]}],"default":null},
             {"name":"tags","type":["null",{"type":"array","items":["null","string"]}],"default":null},
             {"name":"attrs","type":["null",{"type":"map","values":["null","long"]}],"default":null}]}
            """;

    private static List<String> read(Path file, long skip) throws Exception {
        List<String> out = new ArrayList<>();
        try (ParquetRows rows = ParquetRows.open(file, skip)) {
            for (Map<String, Object> row = rows.next(); row != null; row = rows.next()) {
                out.add(Json.object(row));
            }
        }
        return out;
    }

    @Test
    void aFileFromAnIndependentWriterReadsWithItsTimestampsDecimalsDatesGroupsAndLists() throws Exception {
        Path fixture = Path.of(getClass().getResource("/parquet/independent-writer.parquet").toURI());
        assertEquals(List.of(
                "{\"order_id\":1,\"customer\":\"ann\",\"amount\":10.50,\"price\":12.345,"
                        + "\"created_at\":\"2024-01-15T10:00:00.123456Z\",\"order_day\":\"2024-01-15\",\"score\":0.5,"
                        + "\"paid\":true,\"address\":{\"city\":\"Oslo\",\"zip\":150},\"tags\":[\"a\",\"b\"]}",
                "{\"order_id\":2,\"customer\":null,\"amount\":-0.99,\"price\":0.001,"
                        + "\"created_at\":\"2024-01-15T10:00:01.000001Z\",\"order_day\":\"2024-01-16\",\"score\":1.25,"
                        + "\"paid\":false,\"address\":{\"city\":\"Lima\",\"zip\":null},\"tags\":[]}",
                "{\"order_id\":3,\"customer\":\"carl \\\"c\\\"\",\"amount\":null,\"price\":1000.000,"
                        + "\"created_at\":null,\"order_day\":\"2024-01-17\",\"score\":null,"
                        + "\"paid\":null,\"address\":null,\"tags\":null}"),
                read(fixture, 0));
        assertEquals(1, read(fixture, 2).size(), "a restart skips the rows already delivered");
        assertTrue(read(fixture, 2).get(0).startsWith("{\"order_id\":3,"));
    }

    @Test
    void legacyInt96TimestampsAreDecodedFromJulianDayAndNanosOfDay(@TempDir Path dir) throws Exception {
        var message = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int32 id; optional int96 ts; }");
        Path file = dir.resolve("spark.parquet");
        // 2024-01-15T10:00:00.5Z: Julian day 2460325, 36000.5 s into the day, both little-endian
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(36_000_500_000_000L).putInt(2_460_325);
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(new org.apache.parquet.io.LocalOutputFile(file))
                .withType(message).withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).build()) {
            var g = new org.apache.parquet.example.data.simple.SimpleGroupFactory(message).newGroup();
            g.add("id", 1);
            g.add("ts", org.apache.parquet.io.api.Binary.fromConstantByteArray(b.array()));
            w.write(g);
        }
        assertEquals(List.of("{\"id\":1,\"ts\":\"2024-01-15T10:00:00.500Z\"}"), read(file, 0));
    }

    @Test
    void theSinkRollsParquetFilesThatReadBackRowForRow(@TempDir Path dir) throws Exception {
        FileSinkTask task = new FileSinkTask();
        task.start(Map.of("path", dir + "/${date}/", "format", "parquet", "avro.schema", SCHEMA,
                "rotate.records", "2", "compression", "zstd"));
        long t = Instant.parse("2024-03-05T07:30:00Z").toEpochMilli();
        String[] rows = {
            "{\"id\":1,\"name\":\"a\",\"amount\":10.5,\"at\":\"2024-03-05T07:30:00.250Z\",\"day\":\"2024-03-05\","
                    + "\"address\":{\"city\":\"Oslo\",\"zip\":150},\"tags\":[\"x\",null],\"attrs\":{\"k\":7}}",
            "{\"id\":2,\"name\":null,\"amount\":null,\"at\":null,\"day\":null,\"address\":null,\"tags\":null,\"attrs\":null}",
            "{\"id\":3,\"name\":\"c\",\"amount\":-0.01,\"at\":1709623800000,\"day\":\"1999-12-31\","
                    + "\"address\":{\"city\":null,\"zip\":null},\"tags\":[],\"attrs\":{}}"};
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            records.add(new SinkRecord("out", 0, null, null, null, rows[i], 40 + i, t, TimestampType.CREATE_TIME));
        }
        task.put(records);
        task.flush(Map.of());
        task.stop();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(List.of(dir.resolve("2024-03-05/out-0-0000000000000000040.parquet"),
                dir.resolve("2024-03-05/out-0-0000000000000000042.parquet")), files, "two rows per file, named by first offset");
        List<String> back = new ArrayList<>(read(files.get(0), 0));
        back.addAll(read(files.get(1), 0));
        assertEquals(List.of(
                "{\"id\":1,\"name\":\"a\",\"amount\":10.50,\"at\":\"2024-03-05T07:30:00.250Z\",\"day\":\"2024-03-05\","
                        + "\"address\":{\"city\":\"Oslo\",\"zip\":150},\"tags\":[\"x\",null],\"attrs\":{\"k\":7}}",
                "{\"id\":2,\"name\":null,\"amount\":null,\"at\":null,\"day\":null,\"address\":null,\"tags\":null,\"attrs\":null}",
                "{\"id\":3,\"name\":\"c\",\"amount\":-0.01,\"at\":\"2024-03-05T07:30:00Z\",\"day\":\"1999-12-31\","
                        + "\"address\":{\"city\":null,\"zip\":null},\"tags\":[],\"attrs\":{}}"), back);
    }

    @Test
    void aRowThatDoesNotFitItsColumnFailsTheTaskWithTheColumnsNameAndOffset(@TempDir Path dir) {
        FileSinkTask task = new FileSinkTask();
        task.start(Map.of("path", dir + "/", "format", "parquet", "avro.schema", SCHEMA));
        var bad = new SinkRecord("out", 0, null, null, null, "{\"id\":\"seven\"}", 9, 0L, TimestampType.CREATE_TIME);
        var e = assertThrows(org.apache.kafka.connect.errors.ConnectException.class, () -> task.put(List.of(bad)));
        assertTrue(e.getMessage().contains("out-0@9") && e.getMessage().contains("column id"), e.getMessage());
        task.stop();
    }
}

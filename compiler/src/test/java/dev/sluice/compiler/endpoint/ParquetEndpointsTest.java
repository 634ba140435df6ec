package dev.sluice.compiler.endpoint;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet files as a source (columns from the footer) and as a sink (rows written with their SQL types). */
class ParquetEndpointsTest {

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "lake", BuildOptions.PRODUCTION);
    }

    /** A real Parquet file (written by parquet-avro) with micros timestamps, decimals, a group and a list. */
    private static void writeFile(Path file) throws Exception {
        Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        Schema decimal = LogicalTypes.decimal(12, 3).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        Schema address = SchemaBuilder.record("address").fields().optionalString("city").optionalInt("zip").endRecord();
        Schema schema = SchemaBuilder.record("sale").fields()
                .requiredLong("sale_id").optionalString("customer")
                .name("amount").type(decimal).noDefault()
                .name("sold_at").type(micros).noDefault()
                .name("sold_on").type(date).noDefault()
                .name("address").type().optional().type(address)
                .name("tags").type().array().items().stringType().noDefault()
                .optionalFloat("weight")
                .endRecord();
        Files.createDirectories(file.getParent());
        try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema).withConf(new PlainParquetConfiguration()).build()) {
            GenericData.Record r = new GenericData.Record(schema);
            r.put("sale_id", 1L);
            r.put("amount", java.nio.ByteBuffer.wrap(new java.math.BigInteger("1050").toByteArray()));
            r.put("sold_at", 1_705_312_800_123_456L);
            r.put("sold_on", 19737);
            r.put("tags", List.of("a"));
            w.write(r);
        }
    }

    @Test
    void aParquetGlobGetsItsColumnsFromTheFooterAndPartitionDirectoriesAsColumns(@TempDir Path dir) throws Exception {
        writeFile(dir.resolve("warehouse/year=2024/month=01/part-0.parquet"));
        CompiledScript s = compile("CREATE STREAM historical_data AS\n"
                + "SELECT * FROM 'file://" + dir + "/warehouse/year=*/month=*/*.parquet'\n"
                + "WITH (format = 'parquet', partition_columns = ['year', 'month'], projection_pushdown = true);");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("dev.sluice.connect.file.FileSourceConnector", c.connectorClass());
        assertEquals("parquet", c.config().get("format"));
        assertEquals("sale_id:BIGINT;customer:VARCHAR;amount:DECIMAL(12, 3);sold_at:TIMESTAMP(3);sold_on:DATE;"
                + "address:STRUCT<city VARCHAR, zip INTEGER>;tags:ARRAY<VARCHAR>;weight:DOUBLE;year:VARCHAR;month:VARCHAR",
                c.config().get("columns"));
        assertEquals("year,month", c.config().get("partition.columns"));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("from the Parquet footer of part-0.parquet")), s.notes().toString());
        // micros are cut to Sluice's milliseconds: said, never silent
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("timestamps finer than milliseconds in sold_at "
                + "(TIMESTAMP MICROS): Sluice's TIMESTAMP is TIMESTAMP(3)")), s.notes().toString());
    }

    @Test
    void int64DecimalsAndInt96TimestampsKeepTheirSqlTypesThroughTheFooter(@TempDir Path dir) throws Exception {
        org.apache.parquet.schema.MessageType message = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message m { required int64 amount (DECIMAL(10,2)); optional int96 legacy_ts;"
                        + " optional group inner { optional int32 cents (DECIMAL(5,2)); } }");
        Path file = dir.resolve("a.parquet");
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(message).withConf(new PlainParquetConfiguration()).build()) {
            var g = new org.apache.parquet.example.data.simple.SimpleGroupFactory(message).newGroup();
            g.add("amount", 1050L);
            w.write(g);
        }
        CompiledScript s = compile("CREATE STREAM t AS SELECT * FROM 'file://" + file + "';");
        assertEquals("amount:DECIMAL(10, 2);legacy_ts:TIMESTAMP(3);inner:STRUCT<cents DECIMAL(5, 2)>",
                s.connectors().get(0).config().get("columns"));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("timestamps finer than milliseconds in legacy_ts "
                + "(INT96, nanoseconds)")), s.notes().toString());
    }

    @Test
    void parquetIsKnownByTheFileNameAlone(@TempDir Path dir) throws Exception {
        writeFile(dir.resolve("in/a.parquet"));
        CompiledScript s = compile("CREATE STREAM t AS SELECT sale_id, amount * 2 AS twice FROM 'file://" + dir + "/in/*.parquet';");
        assertEquals("parquet", s.connectors().get(0).config().get("format"));
        assertEquals("(sale_id BIGINT, twice DECIMAL(23, 3))", s.queries().get(0).schema().toString().replace("`", ""));
    }

    @Test
    void aFileThatIsNotParquetIsAnErrorAtItsFromClause(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.parquet"), "not parquet at all");
        SqlException e = assertThrows(SqlException.class,
                () -> compile("CREATE STREAM t AS SELECT * FROM 'file://" + dir + "/*.parquet';"));
        assertTrue(e.getMessage().contains("cannot read the Parquet footer of " + dir.resolve("bad.parquet")), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void intoParquetFilesPlansTheRowsAvroSchemaCompressionAndFileSize(@TempDir Path dir) throws Exception {
        writeFile(dir.resolve("in/a.parquet"));
        CompiledScript s = compile("CREATE STREAM archive AS\n"
                + "SELECT sale_id, amount, sold_at, EXTRACT(YEAR FROM sold_at) AS year, address, tags\n"
                + "FROM 'file://" + dir + "/in/*.parquet'\n"
                + "INTO 'file://" + dir + "/out/year=${year}/'\n"
                + "WITH (format = 'parquet', compression = 'zstd', file_size_mb = 64);");
        ConnectorPlan sink = s.connectors().stream().filter(c -> c.direction() == ConnectorPlan.Direction.SINK)
                .findFirst().orElseThrow();
        assertEquals("dev.sluice.connect.file.FileSinkConnector", sink.connectorClass());
        assertEquals("parquet", sink.config().get("format"));
        assertEquals("zstd", sink.config().get("compression"));
        assertEquals(Long.toString(64L * 1024 * 1024), sink.config().get("rotate.bytes"));
        Schema avro = new Schema.Parser().parse(sink.config().get("avro.schema"));
        assertEquals(List.of("sale_id", "amount", "sold_at", "year", "address", "tags"),
                avro.getFields().stream().map(Schema.Field::name).toList());
        assertTrue(avro.getField("sold_at").schema().toString().contains("timestamp-millis"), avro.toString());
        assertTrue(avro.getField("amount").schema().toString().contains("\"precision\":12,\"scale\":3"), avro.toString());
        // the query's own topic stays JSON: 'parquet' names the files, not a Kafka format
        assertEquals("json", s.queries().get(0).plan().sink().orElseThrow().properties().get("format"));
    }

    @Test
    void aKafkaStreamWrittenIntoParquetFilesKeepsItsTopicFormat(@TempDir Path dir) {
        CompiledScript s = compile("CREATE STREAM raw_events (event_id BIGINT, event_time TIMESTAMP(3))"
                + " WITH (topic = 'raw-events', format = 'json');\n"
                + "CREATE STREAM data_lake_ingestion AS\n"
                + "SELECT *, EXTRACT(YEAR FROM event_time) AS year FROM raw_events\n"
                + "INTO 'file://" + dir + "/events/year=${year}/'\n"
                + "WITH (format = 'parquet', compression = 'snappy', file_size_mb = 128, flush_interval = '5 minutes',"
                + " partition_by = ['year']);");
        ConnectorPlan sink = s.connectors().get(0);
        assertEquals("parquet", sink.config().get("format"));
        assertEquals("snappy", sink.config().get("compression"));
        assertEquals("json", s.queries().get(0).plan().sink().orElseThrow().properties().get("format"));
    }
}

package dev.sluice.compiler.endpoint;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Avro object container files read from {@code file://} (columns from the header) and a file sink's flush_interval. */
class AvroFilesAndFlushIntervalTest {

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "lake", BuildOptions.PRODUCTION);
    }

    @Test
    void anAvroGlobGetsItsColumnsFromTheFirstFilesHeaderAndPlansTheFileSourceInAvro(@TempDir Path dir) throws Exception {
        Schema schema = SchemaBuilder.record("order").fields().requiredLong("order_id").optionalString("status")
                .requiredDouble("amount").endRecord();
        Path file = dir.resolve("orders/day=2024-01-15/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            w.create(schema, file.toFile());
            GenericData.Record r = new GenericData.Record(schema);
            r.put("order_id", 1L);
            r.put("amount", 9.5);
            w.append(r);
        }
        CompiledScript s = compile("CREATE STREAM orders AS SELECT order_id, status, amount, day\n"
                + "FROM 'file://" + dir + "/orders/day=*/*.avro' WITH (partition_columns = ['day']);");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("dev.sluice.connect.file.FileSourceConnector", c.connectorClass());
        assertEquals("avro", c.config().get("format"));
        assertEquals("order_id:BIGINT;status:VARCHAR;amount:DOUBLE;day:VARCHAR", c.config().get("columns"));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("from the Avro schema of part-0.avro")), s.notes().toString());
    }

    @Test
    void flushIntervalOnAFileSinkBecomesItsRotationInterval(@TempDir Path dir) {
        CompiledScript s = compile("CREATE STREAM src (id BIGINT) WITH (topic = 'src', format = 'json');\n"
                + "CREATE STREAM archived AS SELECT id FROM src INTO 'file://" + dir + "/archive/${date}/'\n"
                + "WITH (flush_interval = '5 minutes');");
        ConnectorPlan c = s.connectors().stream().filter(p -> p.connectorClass().endsWith("FileSinkConnector"))
                .findFirst().orElseThrow();
        assertEquals("300000", c.config().get("rotate.interval.ms"));
    }
}

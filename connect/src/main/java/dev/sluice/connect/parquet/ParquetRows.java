package dev.sluice.connect.parquet;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rows of one Parquet file, in order, through Apache Parquet's reader (parquet-avro over a
 * {@code java.nio} file: no Hadoop file system, no native library). A Parquet file is written whole,
 * so a row's position in it is a stable offset: {@link #open} skips the rows an earlier run
 * already delivered.
 */
public final class ParquetRows implements Closeable {
    private final ParquetReader<GenericRecord> reader;

    private ParquetRows(ParquetReader<GenericRecord> reader) {
        this.reader = reader;
    }

    public static ParquetRows open(Path file, long skip) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        // INT96 timestamps (Spark, Impala, Hive) arrive as 12 bytes that ParquetToJson decodes
        conf.set("parquet.avro.readInt96AsFixed", "true");
        // a three-level LIST is an array of its elements, not of one-field records
        conf.set("parquet.avro.add-list-element-records", "false");
        // plain GenericData: values as stored (longs, bytes), which ParquetToJson reads with their logical types
        ParquetRows rows = new ParquetRows(AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), conf)
                .withDataModel(GenericData.get()).build());
        for (long i = 0; i < skip && rows.reader.read() != null; i++) {
            // rows delivered before a restart
        }
        return rows;
    }

    /** The next row as plain values, or null at the end of the file. */
    public Map<String, Object> next() throws IOException {
        GenericRecord r = reader.read();
        return r == null ? null : ParquetToJson.row(r);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}

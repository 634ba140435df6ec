package dev.sluice.connect.file;

import dev.sluice.connect.parquet.ParquetRows;
import dev.sluice.connect.parquet.ParquetToJson;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rows of a file written whole, with its schema inside: Parquet (its footer) or an Avro object
 * container file (its header). Rows come as column maps in Sluice's JSON conventions (the same
 * conversion for both, {@link ParquetToJson}); {@code skip} rows an earlier run delivered are passed over.
 */
interface WholeFileRows extends Closeable {

    /** The next row, or null at the end of the file. */
    Map<String, Object> next() throws IOException;

    static WholeFileRows open(String format, Path file, long skip) throws IOException {
        if (format.equals("parquet")) {
            ParquetRows rows = ParquetRows.open(file, skip);
            return new WholeFileRows() {
                @Override
                public Map<String, Object> next() throws IOException {
                    return rows.next();
                }

                @Override
                public void close() throws IOException {
                    rows.close();
                }
            };
        }
        // DataFileReader (not a stream) checks the header and reads blocks as the writer finished them
        DataFileReader<GenericRecord> avro = new DataFileReader<>(file.toFile(), new GenericDatumReader<>());
        for (long i = 0; i < skip && avro.hasNext(); i++) {
            avro.next();
        }
        return new WholeFileRows() {
            @Override
            public Map<String, Object> next() {
                return avro.hasNext() ? ParquetToJson.row(avro.next()) : null;
            }

            @Override
            public void close() throws IOException {
                avro.close();
            }
        };
    }
}

package dev.sluice.connect.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One Parquet file being written by the file sink: rows are buffered in row groups by Apache
 * Parquet's writer and the footer is written on {@link #close}, so the file is readable only once
 * closed (the sink writes it under a hidden temporary name and renames it then).
 */
public final class ParquetRollingFile implements Closeable {
    private final ParquetWriter<GenericRecord> writer;

    public ParquetRollingFile(Path file, Schema schema, CompressionCodecName codec) throws IOException {
        writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema)
                .withConf(conf())
                .withCompressionCodec(codec)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    private static PlainParquetConfiguration conf() {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        // the standard three-level LIST, which holds NULL elements (the old two-level form cannot)
        conf.set("parquet.avro.write-old-list-structure", "false");
        return conf;
    }

    /** {@code compression = 'snappy'} (the default), gzip, zstd, lz4 (LZ4_RAW) or none. */
    public static CompressionCodecName codec(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "", "snappy", "auto" -> CompressionCodecName.SNAPPY;
            case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
            case "gzip" -> CompressionCodecName.GZIP;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "lz4", "lz4_raw" -> CompressionCodecName.LZ4_RAW;
            default -> throw new IllegalArgumentException("unknown Parquet compression '" + name
                    + "': snappy, gzip, zstd, lz4 or none");
        };
    }

    public void write(GenericRecord row) throws IOException {
        writer.write(row);
    }

    /** Bytes written so far plus those buffered: what rolling by size compares. */
    public long size() {
        return writer.getDataSize();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}

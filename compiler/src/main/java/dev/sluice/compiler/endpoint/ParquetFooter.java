package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file's columns from its footer, as Sluice types: read with Apache Parquet's own reader,
 * converted to an Avro schema the way the file connector's reader does (three-level lists as
 * arrays, INT96 as 12 bytes) and from there to SQL types: INT32/INT64 → INTEGER/BIGINT,
 * FLOAT/DOUBLE → DOUBLE, UTF8/ENUM/UUID → VARCHAR, other binary → BYTES, DECIMAL(p, s) → DECIMAL(p, s),
 * DATE → DATE, TIMESTAMP of any unit (and legacy INT96) → TIMESTAMP, groups → STRUCT, LIST → ARRAY,
 * MAP → MAP.
 */
final class ParquetFooter {
    private ParquetFooter() {
    }

    static Schema columns(Path file, NodeLocation where) {
        MessageType message;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            message = reader.getFooter().getFileMetaData().getSchema();
        } catch (IOException | RuntimeException e) {
            throw new SqlException(where, "cannot read the Parquet footer of " + file + ": " + e.getMessage(),
                    "is it a whole Parquet file? One still being written has no footer yet");
        }
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.readInt96AsFixed", "true");
        conf.set("parquet.avro.add-list-element-records", "false");
        Schema converted;
        try {
            converted = AvroSchemas.toSluiceSchema(new AvroSchemaConverter(conf).convert(message));
        } catch (IllegalArgumentException e) {
            throw new SqlException(where, "a column of " + file + " has no SQL type: " + e.getMessage(),
                    "declare the columns you read: CREATE STREAM name (col TYPE, ...)");
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < converted.size(); i++) {
            Column c = converted.column(i);
            columns.add(new Column(c.name(), exact(c.type(), message.getType(i)), c.nullable()));
        }
        return new Schema(columns);
    }

    /**
     * The columns (dotted paths for nested fields) holding timestamps finer than milliseconds
     * (TIMESTAMP MICROS/NANOS, INT96): Sluice's TIMESTAMP is TIMESTAMP(3), so their digits below
     * the millisecond are cut when read. The compiler says so in a note naming them.
     */
    public static List<String> finerThanMillis(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            List<String> out = new ArrayList<>();
            finer(reader.getFooter().getFileMetaData().getSchema(), "", out);
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of(); // columns() has reported it
        }
    }

    private static void finer(Type type, String prefix, List<String> out) {
        if (type.isPrimitive()) {
            PrimitiveType p = type.asPrimitiveType();
            if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
                out.add(prefix + type.getName() + " (INT96, nanoseconds)");
            } else if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
                    && t.getUnit() != LogicalTypeAnnotation.TimeUnit.MILLIS) {
                out.add(prefix + type.getName() + " (TIMESTAMP " + t.getUnit() + ")");
            }
            return;
        }
        String inner = type instanceof org.apache.parquet.schema.MessageType ? "" : prefix + type.getName() + ".";
        for (Type field : type.asGroupType().getFields()) {
            finer(field, inner, out);
        }
    }


    /**
     * What the Avro detour loses, put back: Avro has no decimal on int/long, so INT32/INT64 decimals
     * come out as INTEGER/BIGINT although the reader delivers them as exact decimals; INT96 comes out
     * as 12 bytes although it is a timestamp.
     */
    private static SqlType exact(SqlType converted, Type parquet) {
        if (parquet.isPrimitive()) {
            PrimitiveType p = parquet.asPrimitiveType();
            if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
                return ScalarType.TIMESTAMP;
            }
            if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                int precision = Math.min(d.getPrecision(), DecimalType.MAX_PRECISION);
                return new DecimalType(precision, Math.min(d.getScale(), precision));
            }
            return converted;
        }
        if (converted instanceof StructType st && parquet.asGroupType().getFieldCount() == st.fields().size()) {
            List<Column> fields = new ArrayList<>();
            for (int i = 0; i < st.fields().size(); i++) {
                Column f = st.fields().get(i);
                fields.add(new Column(f.name(), exact(f.type(), parquet.asGroupType().getType(i)), f.nullable()));
            }
            return new StructType(fields);
        }
        return converted;
    }
}

package dev.sluice.cli.replay;

import dev.sluice.cli.UsageException;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one input file as raw record values with their event time. Values stay raw bytes so
 * the pipeline's own deserializer reads them, exactly as it would read the topic: a malformed line
 * is handled (skipped, counted, dead-lettered) by the pipeline, not by replay. {@code sluice run}
 * produces the same records into real topics.
 */
public final class InputRecords {
    public record Record(byte[] value, long timestamp) {
    }

    private InputRecords() {
    }

    public static List<Record> read(ReplayInput input, SourceDefinition source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(input.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read input " + input.file() + ": " + e.getMessage());
        }
        Deserializer<Row> values = new FormatSerdeFactory().value(source.schema(), source.format()).deserializer();
        List<Record> out = new ArrayList<>();
        long last = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            long ts = last;
            if (source.rowtimeColumn().isPresent()) {
                try {
                    Row row = values.deserialize(source.format().topic(), bytes);
                    if (row != null && row.get(source.rowtimeColumn().getAsInt()) instanceof Long t) {
                        ts = t;
                    }
                } catch (RuntimeException malformed) {
                    // Keep its place in the file; the pipeline reports it.
                }
            }
            out.add(new Record(bytes, ts));
            last = ts;
        }
        return out;
    }
}

package dev.sluice.cli.replay;

import dev.sluice.cli.UsageException;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * The lines of one input file as raw record values with their event time. Values stay raw bytes so
 * the pipeline's own deserializer reads them, exactly as it would read the topic: a malformed line
 * is handled (skipped, counted, dead-lettered) by the pipeline, not by replay. {@code sluice run}
 * produces the same records into real topics.
 */
public final class InputRecords {
    /** {@code key}: a table's PRIMARY KEY in the topic's key format (a global table needs it); else null. */
    public record Record(byte[] key, byte[] value, long timestamp) {
    }

    private InputRecords() {
    }

    public static List<Record> read(ReplayInput input, SourceDefinition source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(input.file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read input " + input.file() + ": no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read input " + input.file() + ": " + e.getMessage());
        }
        Deserializer<Row> values = new FormatSerdeFactory().value(source.schema(), source.format()).deserializer();
        List<Integer> keyColumns = source.kind() == SourceDefinition.Kind.TABLE
                ? source.primaryKey().stream().map(k -> source.schema().indexOf(k).orElseThrow()).toList() : List.of();
        Serializer<Row> keys = new FormatSerdeFactory().key(new Schema(keyColumns.stream()
                .map(i -> source.schema().column(i)).toList()), source.format()).serializer();
        List<Record> out = new ArrayList<>();
        long last = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            long ts = last;
            byte[] key = null;
            if (source.rowtimeColumn().isPresent() || !keyColumns.isEmpty()) {
                try {
                    Row row = values.deserialize(source.format().topic(), bytes);
                    if (row != null && source.rowtimeColumn().isPresent()
                            && row.get(source.rowtimeColumn().getAsInt()) instanceof Long t) {
                        ts = t;
                    }
                    if (row != null && !keyColumns.isEmpty()) {
                        key = keys.serialize(source.format().topic(),
                                new Row(keyColumns.stream().map(row::get).toArray()));
                    }
                } catch (RuntimeException malformed) {
                    // Keep its place in the file; the pipeline reports it.
                }
            }
            out.add(new Record(key, bytes, ts));
            last = ts;
        }
        return out;
    }

    /**
     * Hands the records of several stream inputs to {@code sink} merged by event time, each input
     * keeping its own order (a late record stays late); ties go to the earlier input. Replay and
     * {@code sluice run} both feed streams this way, so their results agree.
     */
    public static void mergeByEventTime(List<List<Record>> inputs, ObjIntConsumer<Record> sink) {
        int[] next = new int[inputs.size()];
        while (true) {
            int pick = -1;
            for (int i = 0; i < inputs.size(); i++) {
                if (next[i] < inputs.get(i).size() && (pick < 0
                        || inputs.get(i).get(next[i]).timestamp() < inputs.get(pick).get(next[pick]).timestamp())) {
                    pick = i;
                }
            }
            if (pick < 0) {
                return;
            }
            sink.accept(inputs.get(pick).get(next[pick]++), pick);
        }
    }
}

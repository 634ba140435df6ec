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
import java.util.Optional;
import dev.sluice.runtime.build.RecordKeyColumns;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.util.function.ObjIntConsumer;

/**
 * The lines of one input file as raw record values with their event time. Values stay raw bytes so
 * the pipeline's own deserializer reads them, exactly as it would read the topic: a malformed line
 * is handled (skipped, counted, dead-lettered) by the pipeline, not by replay. {@code sluice run}
 * produces the same records into real topics.
 */
public final class InputRecords {
    /**
     * {@code key}: the envelope's key, or a table's PRIMARY KEY in the topic's key format (a global
     * table needs it); else null. {@code value} null is a tombstone.
     */
    public record Record(byte[] key, byte[] value, long timestamp, Headers headers) {
        public Record(byte[] key, byte[] value, long timestamp) {
            this(key, value, timestamp, new RecordHeaders());
        }
    }

    private InputRecords() {
    }

    public static List<Record> read(ReplayInput input, SourceDefinition source) {
        return read(input, source, null);
    }

    /**
     * As {@link #read(ReplayInput, SourceDefinition)}; with {@code computedTime} (not null), an event
     * time that is a computed column (Nexmark's {@code dateTime AS CASE ...}) is evaluated with it to
     * give the record its timestamp, where otherwise the record keeps the previous one: replay's wall
     * clock follows these timestamps when the script has processing-time windows.
     */
    public static List<Record> read(ReplayInput input, SourceDefinition source,
                                    dev.sluice.runtime.expr.ExprCompiler computedTime) {
        List<String> lines;
        try {
            lines = Files.readAllLines(input.file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read input " + input.file() + ": no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read input " + input.file() + ": " + e.getMessage());
        }
        RecordKeyColumns split = new RecordKeyColumns(source.schema(), source.recordKeyIndexes());
        Deserializer<Row> values = new FormatSerdeFactory().value(split.valueSchema(), source.format()).deserializer();
        // Key columns already in the record key are not recomputed from the value.
        List<Integer> keyColumns = source.kind() == SourceDefinition.Kind.TABLE && split.isEmpty()
                ? source.primaryKey().stream().map(k -> source.schema().indexOf(k).orElseThrow()).toList() : List.of();
        int rowtime = source.rowtimeColumn().isPresent() ? split.valuePosition(source.rowtimeColumn().getAsInt()) : -1;
        int declared = source.schema().size() - source.computedColumns().size();
        dev.sluice.runtime.expr.Evaluator computedRowtime = null;
        if (computedTime != null && split.isEmpty() && rowtime >= declared) {
            try {
                computedRowtime = computedTime.compile(source.computedColumns().get(rowtime - declared));
            } catch (RuntimeException e) {
                computedRowtime = null; // a user function replay does not know: the timestamp stays the previous one
            }
        }
        Serializer<Row> keys = new FormatSerdeFactory().key(new Schema(keyColumns.stream()
                .map(i -> source.schema().column(i)).toList()), source.format()).serializer();
        List<Record> out = new ArrayList<>();
        long last = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Optional<RecordEnvelope> envelope = envelope(input, line, source);
            byte[] bytes = envelope.isPresent() ? envelope.get().valueBytes(source, split)
                    : line.getBytes(StandardCharsets.UTF_8);
            long ts = last;
            byte[] key = envelope.isPresent() ? envelope.get().keyBytes(source, split) : null;
            Headers headers = envelope.map(RecordEnvelope::headers).orElseGet(RecordHeaders::new);
            if (bytes != null && (rowtime >= 0 || !keyColumns.isEmpty())) {
                try {
                    Row row = values.deserialize(source.format().topic(), bytes);
                    if (row != null && computedRowtime != null) {
                        if (computedRowtime.evaluate(row) instanceof Long t) {
                            ts = t;
                        }
                    } else if (row != null && rowtime >= 0 && row.get(rowtime) instanceof Long t) {
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
            if (envelope.isPresent() && envelope.get().timestamp().isPresent()) {
                ts = envelope.get().timestamp().getAsLong();
            }
            out.add(new Record(key, bytes, ts, headers));
            last = ts;
        }
        return out;
    }

    private static Optional<RecordEnvelope> envelope(ReplayInput input, String line, SourceDefinition source) {
        try {
            return RecordEnvelope.parse(line, source);
        } catch (RuntimeException e) {
            throw new UsageException("--input " + input.source() + ": cannot read the record " + line + ": "
                    + e.getMessage());
        }
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

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SourceReads;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record cost of decoding a Nexmark event from JSON, in isolation: the whole event against
 * only what each query reads (SourceReads over the compiled query, as `sluice run` builds it),
 * in CPU nanoseconds of the decoding thread per record, best of the alternating rounds.
 * Run by bench/nexmark/decode-cost; not a test. Args: events.jsonl rounds query.sql...
 */
public class DecodeCost {
    public static void main(String[] args) throws Exception {
        List<byte[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            events.add(line.getBytes(StandardCharsets.UTF_8));
        }
        int rounds = Integer.parseInt(args[1]);
        System.out.printf("%-6s %-40s %14s %14s %7s%n", "query", "fields read", "whole cpu ns", "projected cpu ns", "ratio");
        for (int a = 2; a < args.length; a++) {
            Path query = Path.of(args[a]);
            CompiledScript script = new SluiceCompiler(new DefaultFunctionCatalog(System::currentTimeMillis))
                    .compile(Files.readString(query), "decode", BuildOptions.PRODUCTION);
            List<dev.sluice.runtime.plan.QueryPlan> plans = script.queries().stream().map(CompiledQuery::plan).toList();
            SourceStep source = findSource(plans.get(0).root());
            int declared = source.schema().size() - source.computedColumns().size() - (source.appendRowtime() ? 1 : 0);
            Schema value = new Schema(source.schema().columns().subList(0, declared));
            FormatOptions options = new FormatOptions(source.format().topic(), source.format().properties());
            ReadFields read = SourceReads.of(plans).topic(source.format().topic());
            Deserializer<Row> whole = Formats.valueSerde(value, options, ReadFields.ALL).deserializer();
            Deserializer<Row> projected = Formats.valueSerde(value, options, read).deserializer();
            double bestWhole = Double.MAX_VALUE;
            double bestProjected = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) { // alternating, best of the rounds (the first ones warm up the JIT)
                bestWhole = Math.min(bestWhole, nanosPerRecord(whole, events));
                bestProjected = Math.min(bestProjected, nanosPerRecord(projected, events));
            }
            String name = query.getFileName().toString().replace(".sql", "");
            System.out.printf("%-6s %-40s %14.0f %14.0f %7.2f%n", name, read, bestWhole, bestProjected, bestWhole / bestProjected);
        }
    }

    private static SourceStep findSource(Step step) {
        if (step instanceof SourceStep s) {
            return s;
        }
        for (Step input : step.inputs()) {
            SourceStep s = findSource(input);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static long sink;

    /** CPU time of this thread, not wall time: on a shared machine waiting for a core is not decoding. */
    private static double nanosPerRecord(Deserializer<Row> d, List<byte[]> events) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (byte[] e : events) {
            Row row = d.deserialize("nexmark", e);
            sink += row == null ? 0 : row.size();
        }
        return (threads.getCurrentThreadCpuTime() - start) / (double) events.size();
    }
}

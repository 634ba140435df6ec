package dev.sluice.cli.replay;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ConnectorPlan;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code sluice replay} reads for a source the command line gave no {@code --input}. A Flink
 * user's script names its data itself ({@code 'connector' = 'filesystem', 'path' = '…'}), and Flink
 * reads it; replay does the same when the path is one local JSON-lines file. Any other source read
 * by a query and left without input is replayed empty, and says so: a replay that prints no rows
 * because an input was forgotten must not look like a query that matched nothing.
 */
public final class LocalFileInputs {
    private static final String FILE_SOURCE = "dev.sluice.connect.file.FileSourceConnector";

    private LocalFileInputs() {
    }

    /** Inputs for the read sources {@code given} leaves out, with a line on {@code err} for each such source. */
    public static List<ReplayInput> complete(CompiledScript script, List<ReplayInput> given, PrintWriter err) {
        Set<String> named = new java.util.HashSet<>();
        for (ReplayInput input : given) {
            named.add(input.source().split("@", 2)[0].toLowerCase(Locale.ROOT));
        }
        Set<String> declared = new java.util.HashSet<>();
        script.sources().forEach(s -> declared.add(s.name().toLowerCase(Locale.ROOT)));
        if (!declared.containsAll(named)) {
            return List.of(); // the replay refuses the unknown name, with a suggestion: nothing to add before that
        }
        Set<String> read = Replayer.sourceTopics(script);
        List<ReplayInput> added = new ArrayList<>();
        for (SourceDefinition source : script.sources()) {
            if (named.contains(source.name().toLowerCase(Locale.ROOT)) || !read.contains(source.format().topic())) {
                continue;
            }
            Path file = jsonLinesFile(script, source);
            if (file != null) {
                added.add(new ReplayInput(source.name(), file));
                err.println("sluice: replaying " + source.name() + " from " + file + " (its 'path'; --input "
                        + source.name() + "=FILE replaces it)");
            } else {
                err.println("sluice: no --input for " + source.name() + ": replayed with no records (give --input "
                        + source.name() + "=FILE.jsonl)");
            }
        }
        err.flush();
        return added;
    }

    /**
     * The one existing local JSON-lines file a source reads, or null: a file endpoint's connector
     * ({@code datasource = 'file://…'}), or Flink's {@code 'connector' = 'filesystem'} with a
     * {@code 'path'} (which {@code sluice run} reads from a Kafka topic, as its compile note says).
     */
    private static Path jsonLinesFile(CompiledScript script, SourceDefinition source) {
        Map<String, String> with = lowerKeys(source.format().properties());
        if ("filesystem".equalsIgnoreCase(with.get("connector")) && with.containsKey("path")) {
            return jsonLines(with.get("path"), with.getOrDefault("format", ""), with.get("compression"));
        }
        for (ConnectorPlan plan : script.connectors()) {
            if (plan.direction() == ConnectorPlan.Direction.SOURCE && plan.topic().equals(source.format().topic())
                    && FILE_SOURCE.equals(plan.connectorClass())) {
                return jsonLines(plan.config().getOrDefault("path", ""), plan.config().getOrDefault("format", ""),
                        plan.config().get("compression"));
            }
        }
        return null;
    }

    private static Path jsonLines(String path, String format, String compression) {
        boolean json = format.equalsIgnoreCase("json") || format.equalsIgnoreCase("jsonl");
        boolean plainText = !"gzip".equalsIgnoreCase(compression) && !path.endsWith(".gz");
        if (!json || !plainText || path.matches(".*[*?\\[{].*")) {
            return null;
        }
        Path file = Path.of(path.startsWith("file://") ? path.substring("file://".length()) : path);
        return Files.isRegularFile(file) ? file : null;
    }

    private static Map<String, String> lowerKeys(Map<String, String> properties) {
        Map<String, String> out = new java.util.HashMap<>();
        properties.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}

package dev.sluice.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.cli.replay.TablePrinter;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Runs a script over JSON-lines files in TopologyTestDriver and prints the result rows. */
@Command(name = "replay", description = "Run a script over JSON-lines input files, without a broker.")
public final class ReplayCommand extends ScriptCommand {
    @Option(names = "--input", paramLabel = "NAME=FILE", description = "records of a declared stream or table")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format", description = "jsonl, table or records (each output record's sink, key, window, "
            + "timestamp and value; deletes as tombstones). Default: table on a terminal, else jsonl")
    String format;

    @Option(names = "--changelog",
            description = "print the changelog (op +I/-U/+U/-D, in order, as Flink prints it), not the final rows")
    boolean changelog;

    @Override
    BuildOptions buildOptions() {
        return BuildOptions.REPLAY;
    }

    @Override
    int run(CompiledScript compiled) {
        List<ReplayInput> parsed = new ArrayList<>(inputs.stream().map(ReplayInput::parse).toList());
        parsed.addAll(dev.sluice.cli.replay.LocalFileInputs.complete(compiled, parsed, err()));
        ReplayResult result = new Replayer().replay(compiled, parsed, changelog);
        String mode = format != null ? format : System.console() != null ? "table" : "jsonl";
        if (mode.equals("table")) {
            out().print(TablePrinter.render(result));
        } else if (mode.equals("records")) {
            for (var record : result.records()) {
                out().println(dev.sluice.cli.replay.RecordRenderer.render(record).toString());
            }
        } else if (mode.equals("jsonl")) {
            for (ObjectNode row : result.rows()) {
                out().println(row.toString());
            }
        } else {
            throw new dev.sluice.cli.UsageException("--format must be jsonl, table or records, not " + format);
        }
        out().flush();
        if (result.badRecords() > 0) {
            err().println("sluice: " + result.badRecords() + " bad record(s) skipped (see the log; "
                    + "set 'errors.dead.letter.queue.topic.name' to keep them in a dead-letter topic)");
            err().flush();
        }
        if (result.lateRecords() > 0) {
            err().println("sluice: " + result.lateRecords() + " late record(s) dropped: every window they belong to "
                    + "had closed (watermark plus grace)");
            err().flush();
        }
        return ExitCodes.OK;
    }
}

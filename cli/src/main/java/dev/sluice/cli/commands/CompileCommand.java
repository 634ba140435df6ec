package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import picocli.CommandLine.Command;

/** Checks a script and prints each query's id, sources and sink, and the application's topology. */
@Command(name = "compile", description = "Check a script; print its queries and Kafka Streams topology.")
public final class CompileCommand extends ScriptCommand {

    @Override
    int run(CompiledScript compiled) {
        out().println("application.id: " + compiled.applicationId());
        for (CompiledQuery q : compiled.queries()) {
            out().println("query " + q.id() + (q.persistent() ? "" : " (transient SELECT)") + " at line " + q.line()
                    + ": " + String.join(", ", q.sources()) + " -> " + q.outputTopic()
                    + (q.table() ? " (changelog)" : ""));
        }
        for (String note : compiled.notes()) {
            out().println("note: " + note);
        }
        out().println();
        out().print(compiled.topology().describe());
        out().flush();
        return ExitCodes.OK;
    }
}

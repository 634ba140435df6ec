package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.Steps;
import picocli.CommandLine.Command;

/** Prints, per query, its SQL and physical plan, then the topology of the whole application. */
@Command(name = "explain", description = "Print each query's plan and the application's topology.")
public final class ExplainCommand extends ScriptCommand {

    @Override
    int run(CompiledScript compiled) {
        for (CompiledQuery q : compiled.queries()) {
            out().println("== query " + q.id() + " (line " + q.line() + ")");
            out().println(q.sql());
            out().println("-- plan (output key " + q.keySchema() + (q.table() ? ", changelog" : "") + ")");
            out().print(Steps.explain(q.plan().root()));
            out().println();
        }
        out().println("== topology");
        out().print(compiled.topology().describe());
        out().flush();
        return ExitCodes.OK;
    }
}

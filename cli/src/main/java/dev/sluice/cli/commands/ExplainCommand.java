package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.Steps;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.compiler.optimizer.OptimizationReport;
import picocli.CommandLine.Command;

/**
 * Prints, per query, its SQL and physical plan, then what the optimizer did (rules fired, shared
 * steps), then the topology of the whole application.
 */
@Command(name = "explain", description = "Print each query's plan and the application's topology.")
public final class ExplainCommand extends ScriptCommand {

    @picocli.CommandLine.Option(names = "--format", description = "text (default), dot or mermaid: the topology as a graph")
    String format = "text";

    @Override
    int run(CompiledScript compiled) {
        switch (format) {
            case "dot" -> {
                out().print(dev.sluice.cli.serve.TopologyGraph.of(compiled.topology().describe()).dot());
                out().flush();
                return ExitCodes.OK;
            }
            case "mermaid" -> {
                out().print(dev.sluice.cli.serve.TopologyGraph.of(compiled.topology().describe()).mermaid());
                out().flush();
                return ExitCodes.OK;
            }
            case "text" -> {
            }
            default -> throw new dev.sluice.cli.UsageException("--format must be text, dot or mermaid, not " + format);
        }
        out().println(compiled.dialect() == dev.sluice.compiler.catalog.Dialect.KSQL
                ? "== dialect: ksqlDB (a declaration names its topic with KAFKA_TOPIC; see docs/compatibility.md)"
                : "== dialect: Flink SQL (no declaration names its topic with KAFKA_TOPIC; see docs/compatibility.md)");
        for (CompiledQuery q : compiled.queries()) {
            out().println("== query " + q.id() + " (line " + q.line() + ")");
            out().println(q.sql());
            out().println("-- plan (output key " + q.keySchema() + (q.table() ? ", changelog" : "") + ")");
            out().print(Steps.explain(q.plan().root()));
            out().println();
        }
        printConnectors(compiled);
        printOptimizer(compiled.optimization());
        out().println("== topology");
        out().print(compiled.topology().describe());
        out().flush();
        return ExitCodes.OK;
    }

    /** The connectors that feed and drain the topology's topics (endpoints other than Kafka). */
    private void printConnectors(CompiledScript compiled) {
        if (compiled.connectors().isEmpty()) {
            return;
        }
        out().println("== connectors (`sluice connectors` prints their configs as Connect REST JSON)");
        for (ConnectorPlan c : compiled.connectors()) {
            out().println(c.direction().name().toLowerCase(java.util.Locale.ROOT) + " " + c.name() + " ("
                    + c.connectorClass() + ") " + (c.direction() == ConnectorPlan.Direction.SOURCE
                    ? c.endpoint() + " -> topic '" + c.topic() + "'" : "topic '" + c.topic() + "' -> " + c.endpoint())
                    + " for query " + c.query());
        }
        out().println();
    }

    /** Which rules ran and fired, and which steps several queries read (built once). */
    private void printOptimizer(OptimizationReport report) {
        if (report.enabledRules().isEmpty()) {
            return; // SET 'sluice.optimizer.rules' is off: plans are as planned
        }
        out().println("== optimizer (rules: " + String.join(", ", report.enabledRules()) + ")");
        for (OptimizationReport.Fired f : report.fired()) {
            out().println("fired " + f.rule() + ": " + f.description());
        }
        for (OptimizationReport.SharedNode n : report.shared()) {
            out().println("shared " + n.kind() + " [" + n.name() + "] read by " + String.join(", ", n.consumers()));
        }
        out().println();
    }
}

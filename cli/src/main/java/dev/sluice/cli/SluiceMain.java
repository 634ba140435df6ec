package dev.sluice.cli;

import dev.sluice.cli.commands.BrokerCommand;
import dev.sluice.cli.commands.CompileCommand;
import dev.sluice.cli.commands.ConnectorsCommand;
import dev.sluice.cli.commands.DiffCommand;
import dev.sluice.cli.commands.ExplainCommand;
import dev.sluice.cli.commands.NexmarkCommand;
import dev.sluice.cli.commands.FuzzCommand;
import dev.sluice.cli.commands.QueryCommand;
import dev.sluice.cli.commands.ReplayCommand;
import dev.sluice.cli.commands.RunCommand;
import dev.sluice.cli.commands.TestCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code sluice} command: compile, explain, replay (and run) streaming SQL scripts. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Compiles streaming SQL into Kafka Streams applications.",
        subcommands = {CompileCommand.class, ExplainCommand.class, ReplayCommand.class, RunCommand.class, DiffCommand.class,
                TestCommand.class, ConnectorsCommand.class, FuzzCommand.class, BrokerCommand.class, NexmarkCommand.class, QueryCommand.class})
public final class SluiceMain {

    public static void main(String[] args) {
        FormatLocale.useFastEquivalent();
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with output and errors written to the given writers (tests, embedding). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    private static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SluiceMain());
        // A wrong command line is a usage error (64), not picocli's default 2.
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                cmd.getErr().println("sluice: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("sluice: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return ExitCodes.INTERNAL;
        });
        return cli;
    }
}

package dev.sluice.cli;

import dev.sluice.cli.commands.CompileCommand;
import dev.sluice.cli.commands.ExplainCommand;
import dev.sluice.cli.commands.ReplayCommand;
import dev.sluice.cli.commands.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: compile, explain, replay (and run) streaming SQL scripts. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Compiles streaming SQL into Kafka Streams applications.",
        subcommands = {CompileCommand.class, ExplainCommand.class, ReplayCommand.class, RunCommand.class})
public final class SluiceMain {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SluiceMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                cmd.getErr().println("sluice: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("sluice: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return ExitCodes.INTERNAL;
        });
        return cli.execute(args);
    }
}

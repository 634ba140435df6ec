package dev.sluice.cli.commands;

import dev.sluice.cli.ErrorReport;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.optimizer.UpgradeCheck;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Upgrade check: compiles two versions of a script and lists, per query, the state stores and
 * internal topics the new version would orphan, rename or reinterpret (changed key or value
 * format). Exit 0 when the new version can resume from the old one's state, 1 when it cannot.
 * Both versions get the new file's application id unless they SET 'application.id' themselves.
 */
@Command(name = "diff", description = "Check whether NEW.sql can resume from the state OLD.sql left (exit 0) or not (1).")
public final class DiffCommand implements Callable<Integer> {
    /** Exit code for "the new version cannot resume from the old state". */
    public static final int CANNOT_RESUME = 1;

    @Parameters(index = "0", paramLabel = "OLD", description = "the running version of the script")
    Path oldScript;

    @Parameters(index = "1", paramLabel = "NEW", description = "the version to deploy")
    Path newScript;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = ScriptFiles.name(newScript);
        CompiledScript before;
        CompiledScript after;
        try {
            before = compile(oldScript, name);
            after = compile(newScript, name);
        } catch (ScriptError e) {
            return ExitCodes.DATA_ERROR;
        }
        UpgradeCheck.Result result = UpgradeCheck.compare(before, after);
        print(result);
        return result.canResume() ? ExitCodes.OK : CANNOT_RESUME;
    }

    private static final class ScriptError extends RuntimeException {
    }

    private CompiledScript compile(Path script, String applicationName) {
        String sql = ScriptFiles.read(script);
        try {
            return ScriptFiles.compile(Path.of(applicationName + ".sql"), sql, DefaultFunctionCatalog.wallClock(),
                    BuildOptions.PRODUCTION);
        } catch (SqlException e) {
            err().print(ErrorReport.format(e, script.toString(), sql));
            err().flush();
            throw new ScriptError();
        }
    }

    private void print(UpgradeCheck.Result result) {
        PrintWriter out = spec.commandLine().getOut();
        result.explain().forEach(out::println);
        out.flush();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}

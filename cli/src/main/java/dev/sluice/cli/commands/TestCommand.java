package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.qtt.QttCase;
import dev.sluice.cli.qtt.QttFiles;
import dev.sluice.cli.qtt.QttRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code sluice test FILE.json…}: runs test cases written in ksqlDB's QTT JSON format (a directory
 * means every .json file in it) and prints a PASS/FAIL line per case and {@code N passed, N failed}
 * (and {@code , N skipped} when cases marked {@code "enabled": false} were left out, as ksqlDB's runner
 * leaves them out).
 * Exits 0 when every case passed, 1 otherwise.
 */
@Command(name = "test", description = "Run test cases in ksqlDB's QTT JSON format (statements, inputs, outputs).")
public final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "QTT .json files or directories of them")
    List<Path> files = new ArrayList<>();

    @Option(names = "--by-file", description = "also print a pass count per file")
    boolean byFile;

    @Option(names = "--quiet", description = "print only failures and the summary")
    boolean quiet;

    @Option(names = "--udf-jar", paramLabel = "FILE",
            description = "a jar or class directory of user functions: the classes of the cases' CREATE FUNCTION "
                    + "statements, and those its META-INF/sluice/functions.properties declares in every case (repeatable)")
    List<Path> udfJars = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        dev.sluice.cli.UdfJars.install(udfJars);
        PrintWriter out = spec.commandLine().getOut();
        QttRunner runner = new QttRunner();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Path file : expand(files)) {
            int filePassed = 0;
            int fileFailed = 0;
            int fileSkipped = 0;
            for (QttCase c : QttFiles.read(file)) {
                if (!c.enabled()) {
                    // "enabled": false: ksqlDB's runner leaves the case out, so it is not run here either
                    fileSkipped++;
                    if (!quiet) {
                        out.println("SKIP " + c.file() + " :: " + c.name());
                    }
                    continue;
                }
                QttRunner.Outcome o = runner.run(c);
                if (o.passed()) {
                    filePassed++;
                    if (!quiet) {
                        out.println("PASS " + c.file() + " :: " + c.name());
                    }
                } else {
                    fileFailed++;
                    out.println("FAIL " + c.file() + " :: " + c.name() + ": " + o.detail());
                }
                out.flush();
            }
            if (byFile) {
                out.println("FILE " + file.getFileName() + ": " + filePassed + " passed, " + fileFailed + " failed"
                        + skippedText(fileSkipped));
            }
            passed += filePassed;
            failed += fileFailed;
            skipped += fileSkipped;
        }
        out.println(passed + " passed, " + failed + " failed" + skippedText(skipped));
        out.flush();
        return failed == 0 ? ExitCodes.OK : 1;
    }

    private static String skippedText(int skipped) {
        return skipped == 0 ? "" : ", " + skipped + " skipped";
    }

    private static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(out::add);
                } catch (java.io.IOException e) {
                    throw new dev.sluice.cli.UsageException("cannot list " + p + ": " + e.getMessage());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}

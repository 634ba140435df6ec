package dev.sluice.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a {@code sluice} command in a JVM of its own, from this JVM's class path (the cli jar and its
 * dependencies), so that a SIGKILL is a real one: no shutdown hook, no close, no leaving the group.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(String maxHeap, List<String> sluiceArgs, ProcessBuilder.Redirect stdout, Path stderr) {
        return start(maxHeap, List.of(), sluiceArgs, stdout, stderr);
    }

    static Process start(String maxHeap, List<String> jvmOptions, List<String> sluiceArgs, ProcessBuilder.Redirect stdout,
                         Path stderr) {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.cli.SluiceMain"));
        command.addAll(sluiceArgs);
        try {
            return new ProcessBuilder(command).redirectOutput(stdout)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** SIGKILL, and wait until the process is gone (its ports and locks are free again). */
    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + process.pid() + " did not die within 30 s of SIGKILL", e);
        }
    }
}

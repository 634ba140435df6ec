package dev.sluice.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One instance of the pipeline: {@code sluice run SCRIPT --bootstrap-servers ...} in a JVM of its own,
 * with a state directory of its own. Its Kafka Streams client id is {@code chaos-<n>}, so the group's
 * members can be told apart on the broker.
 */
final class Instance {
    private final int number;
    private final Path script;
    private final Path dir;
    private final Path stateDir;
    private final Path config;
    private final Path log;
    private final List<String> jvmOptions;
    private Process process;
    private int starts;

    Instance(int number, Path script, Path workDir, Map<String, String> settings) {
        this(number, script, workDir, settings, List.of());
    }

    /** {@code jvmOptions}: a log4j configuration that logs restoration, for the measurements. */
    Instance(int number, Path script, Path workDir, Map<String, String> settings, List<String> jvmOptions) {
        this.number = number;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.script = script;
        this.dir = workDir.resolve("instance-" + number);
        this.stateDir = dir.resolve("state");
        this.config = dir.resolve("instance.properties");
        this.log = dir.resolve("run.log");
        StringBuilder text = new StringBuilder("state.dir=" + stateDir + "\nclient.id=" + clientId() + "\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path stateDir() {
        return stateDir;
    }

    String clientId() {
        return "chaos-" + number;
    }

    int number() {
        return number;
    }

    void start(String bootstrap) {
        starts++;
        appendLog("---- start " + starts + " ----\n");
        process = ChildJvm.start("320m", jvmOptions, List.of("run", script.toString(), "--bootstrap-servers", bootstrap,
                "--config", config.toString(), "--idle-timeout", "0", "--format", "jsonl"),
                ProcessBuilder.Redirect.DISCARD, log);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The exit code of an instance that stopped by itself. */
    int exitCode() {
        return process.exitValue();
    }

    void kill() {
        ChildJvm.kill(process.toHandle());
        appendLog("---- SIGKILL ----\n");
    }

    /** Deletes the state directory, as a replaced machine or a lost volume would. */
    void wipeState() {
        if (!Files.exists(stateDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(stateDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        appendLog("---- state directory wiped ----\n");
    }

    /** SIGTERM, the graceful stop, at the end of a run. */
    void stop() {
        if (alive()) {
            process.destroy();
            try {
                if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path log() {
        return log;
    }

    /** Lines of the instance's log (all its starts) that contain {@code text}. */
    long logLines(String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void appendLog(String line) {
        try {
            Files.writeString(log, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

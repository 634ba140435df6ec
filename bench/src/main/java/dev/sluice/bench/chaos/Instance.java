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

    /**
     * A thread dump of the live JVM ({@code jstack}), written to {@code threads-<start>.txt} beside its
     * log; returned: the top frames outside the JDK of its stream and state-updater threads, where a stalled task waits.
     */
    String streamThreadSummary() {
        if (!alive()) {
            return "not running";
        }
        Path dump = dir.resolve("threads-" + starts + ".txt");
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    String.valueOf(process.pid())).redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            if (!jstack.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                jstack.destroyForcibly();
                return "no thread dump within 30 s";
            }
            StringBuilder out = new StringBuilder();
            List<String> lines = Files.readAllLines(dump);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String name = line.startsWith("\"") ? line.substring(1, Math.max(1, line.indexOf('"', 1))) : "";
                if (name.matches(".*-(StreamThread|StateUpdater)-\\d+")) {
                    out.append('[').append(name);
                    for (int j = i + 1, frames = 0; j < lines.size() && !lines.get(j).isBlank() && frames < 4; j++) {
                        String frame = lines.get(j).trim();
                        if (frame.startsWith("java.lang.Thread.State:")) {
                            out.append(' ').append(frame.substring("java.lang.Thread.State:".length()).trim());
                        } else if (frame.startsWith("at ") && !frame.matches("at (java|jdk|sun)\\..*")) { // where Kafka waits
                            out.append(" < ").append(frame.substring(3));
                            frames++;
                        }
                    }
                    out.append("] ");
                }
            }
            return out.toString().trim();
        } catch (IOException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The last {@code n} WARN or ERROR lines of the log, each cut to 240 characters. */
    String lastWarnings(int n) {
        try (Stream<String> lines = Files.lines(log)) {
            // the one warning every start logs says nothing about a stall
            List<String> warnings = lines.filter(l -> (l.contains(" WARN ") || l.contains(" ERROR "))
                    && !l.contains("Processing exception handler is not enabled for the GlobalThread")).toList();
            return String.join(" / ", warnings.subList(Math.max(0, warnings.size() - n), warnings.size()).stream()
                    .map(l -> l.length() > 240 ? l.substring(0, 240) + "..." : l).toList());
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable)";
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

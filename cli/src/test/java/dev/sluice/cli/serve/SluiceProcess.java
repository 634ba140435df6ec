package dev.sluice.cli.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice} as a user starts it: a child JVM running {@link dev.sluice.cli.SluiceMain} with its own
 * environment (for {@code ${ENV}} secrets), every line it writes (stdout, stderr and INFO logs of every
 * logger, Kafka's included) captured in one file that a test can search.
 */
final class SluiceProcess implements AutoCloseable {
    final Process process;
    final Path output;

    private SluiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static SluiceProcess start(Path dir, String name, Map<String, String> env, String... args) throws IOException {
        Path log4j = dir.resolve(name + "-log4j2.properties");
        Files.writeString(log4j, String.join("\n",
                "appender.out.type = Console", "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %p %c{1} %m%n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.out.ref = OUT", ""));
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", System.getProperty("java.class.path"), dev.sluice.cli.SluiceMain.class.getName()));
        command.addAll(List.of(args));
        Path output = dir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new SluiceProcess(builder.start(), output);
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The first match of {@code regex} in the output, waiting for it; fails with the output if it never comes. */
    Matcher await(String regex, Duration timeout) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sluice never printed /" + regex + "/ (alive: " + process.isAlive() + "); it printed:\n" + output());
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sluice did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM (a graceful shutdown), and wait for the exit. */
    void stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}

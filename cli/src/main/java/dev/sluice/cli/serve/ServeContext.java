package dev.sluice.cli.serve;

import dev.sluice.cli.ops.HttpServing;
import dev.sluice.cli.run.ClientConfigs;
import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the query API knows about the application it serves: the script as run, its Kafka Streams
 * client, the served tables, its own advertised address and how to reach its peers.
 */
final class ServeContext implements AutoCloseable {
    private final String applicationSql;
    private final CompiledScript application;
    private final Properties props;
    private final Map<String, ServedTables.Served> served;
    private final HostInfo self;
    private final Optional<HttpServing.Credentials> credentials;
    private final Optional<HttpServing.Tls> tls;
    private final long startedAt = System.currentTimeMillis();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile java.util.function.Supplier<KafkaStreams> streams;
    private volatile dev.sluice.cli.run.RunningStreams restartable;
    private Admin admin;

    ServeContext(String applicationSql, CompiledScript application, Properties props, Map<String, ServedTables.Served> served,
                 HostInfo self, Optional<HttpServing.Credentials> credentials, Optional<HttpServing.Tls> tls) {
        this.applicationSql = applicationSql;
        this.application = application;
        this.props = props;
        this.served = served;
        this.self = self;
        this.credentials = credentials;
        this.tls = tls;
    }

    void attach(KafkaStreams streams) {
        this.streams = () -> streams;
    }

    void attach(dev.sluice.cli.run.RunningStreams running) {
        this.streams = running;
        this.restartable = running;
    }

    /** The client of the moment (a RESET OFFSET replaces it). */
    KafkaStreams streams() {
        if (streams == null) {
            throw new IllegalStateException("the application is still starting");
        }
        return streams.get();
    }

    /** The run's replaceable client, when this instance was started by {@code sluice run}. */
    Optional<dev.sluice.cli.run.RunningStreams> restartable() {
        return Optional.ofNullable(restartable);
    }

    String applicationSql() {
        return applicationSql;
    }

    CompiledScript application() {
        return application;
    }

    Properties props() {
        return props;
    }

    Map<String, ServedTables.Served> served() {
        return served;
    }

    HostInfo self() {
        return self;
    }

    Optional<HttpServing.Credentials> credentials() {
        return credentials;
    }

    Optional<HttpServing.Tls> tls() {
        return tls;
    }

    long startedAt() {
        return startedAt;
    }

    /** Source topics paused in this process, when started by {@code sluice run} (else PAUSE pauses the whole client). */
    Optional<dev.sluice.cli.run.SourcePauses> pauses() {
        return restartable().map(dev.sluice.cli.run.RunningStreams::pauses);
    }

    /** Whether the application is paused: every query waits (all its inputs paused, or the whole client). */
    boolean paused() {
        if (pauses().isEmpty()) {
            return paused.get();
        }
        return application.queries().stream().allMatch(this::paused);
    }

    /** Whether {@code query} waits: every topic it reads is paused (or the whole client is). */
    boolean paused(dev.sluice.compiler.CompiledQuery query) {
        if (pauses().isEmpty()) {
            return paused.get();
        }
        java.util.Set<String> topics = topicsRead(query);
        return !topics.isEmpty() && topics.stream().allMatch(pauses().get()::isPaused);
    }

    /** The topics {@code query} reads (the leaves of its plan: declared sources or other queries' sinks). */
    static java.util.Set<String> topicsRead(dev.sluice.compiler.CompiledQuery query) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        collectTopics(query.plan().root(), out);
        return out;
    }

    private static void collectTopics(dev.sluice.runtime.plan.Step step, java.util.Set<String> out) {
        if (step instanceof dev.sluice.runtime.plan.SourceStep s) {
            out.add(s.format().topic());
        } else if (step instanceof dev.sluice.runtime.plan.TableSourceStep t) {
            out.add(t.format().topic());
        }
        step.inputs().forEach(in -> collectTopics(in, out));
    }

    void setPaused(boolean value) {
        paused.set(value);
    }

    String deadLetterTopic() {
        return props.getProperty("errors.dead.letter.queue.topic.name");
    }

    synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(ClientConfigs.admin(props, props.getProperty("application.id") + "-serve-admin"));
        }
        return admin;
    }

    SourceOffsets offsets() {
        return SourceOffsets.read(this);
    }

    static long timestamp(long epochMillis) {
        return epochMillis;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}

package dev.sluice.cli.run;

import dev.sluice.cli.UsageException;
import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.StreamsDefaults;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Kafka Streams configuration of one run, in increasing precedence: Sluice's defaults, the
 * script's {@code SET 'k' = 'v'} statements, the {@code --config} file, then the command line
 * ({@code --bootstrap-servers}). Any Kafka Streams, consumer, producer or admin property passes
 * through (SASL/SSL included); {@code ${ENV_VAR}} in values is read from the environment.
 */
public final class StreamsProperties {
    /** Interactive runs want rows within a fraction of a second; each commit is one transaction under EOS. */
    static final String COMMIT_INTERVAL_MS = "200";
    /** How long a task waits for an empty input partition before it processes the others (see build). */
    static final long MAX_TASK_IDLE_MS = 1000;
    /** Kafka Streams' own default size, stated here so that it is one of Sluice's visible defaults. */
    static final long CACHE_BYTES = 10L * 1024 * 1024;
    /**
     * The first pause before a failed request is tried again (Kafka's default 100 ms), for Kafka Streams
     * and its clients; the clients double it on every further try up to {@code retry.backoff.max.ms}
     * (Kafka's 1 s), so a cluster that is really away is still asked at most about once a second.
     */
    static final long RETRY_BACKOFF_MS = 10;

    private StreamsProperties() {
    }

    /** Settings from SET statements and the --config file, resolved, without defaults (a mutable map). */
    public static Map<String, String> userSettings(Map<String, String> scriptSettings, Optional<Path> configFile,
                                                   EnvPlaceholders env) {
        Map<String, String> out = new LinkedHashMap<>();
        scriptSettings.forEach((k, v) -> out.put(k, env.resolve("SET '" + k + "'", v)));
        configFile.ifPresent(file -> read(file).forEach((k, v) -> out.put(k, env.resolve(k + " in " + file, v))));
        return out;
    }

    /**
     * {@code state.backend.type} in the {@code --config} file, if it is there: the compiler builds every
     * store on it, whatever the script SETs (the file overrides SET, as for every setting).
     */
    public static Optional<StateBackend> stateBackend(Optional<Path> configFile, EnvPlaceholders env) {
        if (configFile.isEmpty()) {
            return Optional.empty();
        }
        Path file = configFile.get();
        String value = read(file).get(StateBackend.KEY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateBackend.parse(env.resolve(StateBackend.KEY + " in " + file, value)));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--config " + file + ": " + e.getMessage());
        }
    }

    /**
     * The complete configuration for the application {@code applicationId}. Sluice's defaults, all
     * here, each overridable with SET or --config:
     * <ul>
     *   <li>exactly-once v2: results and state advance together, in one transaction per commit;
     *   <li>commit every {@value #COMMIT_INTERVAL_MS} ms: rows appear within a fraction of a second;
     *   <li>a 10 MB record cache: repeated updates of one key between commits cost one store write,
     *       one changelog record and one output row;
     *   <li>RocksDB bounded for many small stores ({@link BoundedRocksDbConfig});
     *   <li>{@code num.standby.replicas} 0, Kafka Streams' own default: SET it to 1 with two or more
     *       instances, so a fail-over finds a warm copy instead of replaying the changelog;
     *   <li>{@code max.task.idle.ms} {@value #MAX_TASK_IDLE_MS}: joins and stream-table lookups see their
     *       inputs in event-time order even when one side arrives through a repartition topic;
     *   <li>outer-join padding and EMIT FINAL windows emitted as soon as they are due, not throttled
     *       to once a second of wall-clock time;
     *   <li>log-and-continue handlers that count and dead-letter bad records;
     *   <li>{@code retry.backoff.ms} {@value #RETRY_BACKOFF_MS}: the first start creates its internal
     *       topics without a pause of 100 ms per topic;
     *   <li>explicit internal names checked.
     * </ul>
     */
    public static Properties build(String applicationId, Map<String, String> userSettings, String bootstrapServers,
                                   Path stateDir) {
        Properties p = StreamsDefaults.defaults(); // SET or --config may override any of them
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        // The cache was off (0) after a windowed EMIT FINAL run emitted only its first windows with it
        // on. The cause was not the cache: the embedded broker's time retention deleted the 2024-dated
        // input under the running application, and the run's stop trusted client metrics (see
        // docs/architecture.md, "The record cache on a real broker"). PipelinesOnBrokerTest runs every
        // shipped pipeline with these defaults. (StreamsDefaults keeps it off for replay, which must
        // see every update.)
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(CACHE_BYTES));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        // A task reading several partitions (a join's two sides, a stream and a table, a repartition
        // topic another sub-topology fills) picks the record with the smallest timestamp among those
        // it has buffered. With 0, a side that is momentarily empty is skipped at once, so a table
        // update at 10:02 could be applied before a 10:01 stream record still on its way through a
        // repartition topic, or one side of an interval join could move stream time past the other
        // side's grace. Waiting up to a second for the empty side is the event-time order SQL
        // promises (Flink waits for every input's watermark), at up to a second of latency when one
        // side is idle.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(MAX_TASK_IDLE_MS));
        // Outer stream-stream joins emit their NULL-padded rows, and EMIT FINAL windows their closed
        // windows, at most once per this wall-clock interval (Kafka Streams' default 1 s), when a record
        // arrives. A padded row or window that becomes due less than a second after the previous
        // emission then waits for the next record: at the end of a bounded input it never comes, and
        // rows replay emits were missing. Both checks are a range scan from the last emitted time, cheap
        // when nothing is due, so they run on every record, as in replay.
        p.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, "0");
        p.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX, "0");
        // Kafka Streams 4.3 (KAFKA-21033) sleeps retry.backoff.ms after each internal topic it creates
        // while others of the batch are still to be checked, even when every creation succeeded: the
        // first start of an application with N repartition and changelog topics waits (N-1) x 100 ms
        // in its first rebalance (q5, 9 topics: 0.8 s of the 1.1 s rebalance; a 100-topic application
        // 10 s). At 10 ms the same pauses cost a tenth. The clients take the setting as the start of
        // their exponential backoff (still capped by retry.backoff.max.ms, 1 s): a retried produce or
        // metadata request for a topic created a moment ago (the first produce to a new repartition
        // topic gets OUT_OF_ORDER_SEQUENCE_NUMBER and waits one backoff) goes again after 10, 20,
        // 40 ms... instead of 100, 200, 400 ms. Kafka Streams uses the setting nowhere else.
        p.put(StreamsConfig.RETRY_BACKOFF_MS_CONFIG, String.valueOf(RETRY_BACKOFF_MS));
        p.putAll(userSettings);
        // Sluice's own setting, which the compiler read (the topology's stores are chosen already):
        // not a Kafka one, whose clients would warn about it
        p.remove(StateBackend.KEY);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, userSettings.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, applicationId));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        longerTransactionsForLongCommits(p);
        return p;
    }

    /**
     * Under exactly-once each commit interval is one transaction, and Kafka Streams refuses to start
     * (IllegalArgumentException) when the producer's transaction timeout, 10 s by its default, is shorter
     * than the commit interval. A longer commit interval ({@code checkpoint_interval = '1 minute'} in
     * seed 001) therefore also lengthens the transaction timeout, unless one is set: the interval plus
     * the default's 10 s of slack for the commit itself.
     */
    static void longerTransactionsForLongCommits(Properties p) {
        String timeoutKey = StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        if (p.containsKey(timeoutKey) || p.containsKey(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
                || StreamsConfig.AT_LEAST_ONCE.equals(p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            return;
        }
        long commit = Long.parseLong(String.valueOf(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).trim());
        if (commit > 10_000) {
            p.put(timeoutKey, Long.toString(commit + 10_000));
        }
    }

    static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UsageException("cannot read --config " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }
}

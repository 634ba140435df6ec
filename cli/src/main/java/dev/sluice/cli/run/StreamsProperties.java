package dev.sluice.cli.run;

import dev.sluice.cli.UsageException;
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

    private StreamsProperties() {
    }

    /** Settings from SET statements and the --config file, resolved, without defaults. */
    public static Map<String, String> userSettings(Map<String, String> scriptSettings, Optional<Path> configFile,
                                                   EnvPlaceholders env) {
        Map<String, String> out = new LinkedHashMap<>();
        scriptSettings.forEach((k, v) -> out.put(k, env.resolve("SET '" + k + "'", v)));
        configFile.ifPresent(file -> read(file).forEach((k, v) -> out.put(k, env.resolve(k + " in " + file, v))));
        return out;
    }

    /** The complete configuration for the application {@code applicationId}. */
    public static Properties build(String applicationId, Map<String, String> userSettings, String bootstrapServers,
                                   Path stateDir) {
        Properties p = StreamsDefaults.defaults(); // SET or --config may override any of them
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.putAll(userSettings);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, userSettings.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, applicationId));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
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

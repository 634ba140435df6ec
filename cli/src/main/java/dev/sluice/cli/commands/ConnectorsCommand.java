package dev.sluice.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ExitCodes;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the connectors a script needs as Kafka Connect REST JSON: an array of
 * {@code {"name": ..., "config": {...}}}, each of which {@code POST /connectors} takes as is (or its
 * {@code config} for {@code PUT /connectors/<name>/config}). A password written literally in the
 * script is printed as {@code ****} with a warning; {@code ${NAME}} is printed as
 * {@code ${env:NAME}}, which the worker resolves from its environment (EnvVarConfigProvider).
 */
@Command(name = "connectors", description = "Print the Kafka Connect connector configs a script needs (REST JSON).")
public final class ConnectorsCommand extends ScriptCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    int run(CompiledScript compiled) {
        ArrayNode all = JSON.createArrayNode();
        boolean literalSecret = false;
        boolean debezium = false;
        boolean wrapped = false;
        for (ConnectorPlan c : compiled.connectors()) {
            ObjectNode node = all.addObject();
            node.put("name", c.name());
            ObjectNode config = node.putObject("config");
            for (Map.Entry<String, String> e : new TreeMap<>(c.config()).entrySet()) {
                boolean secret = isSecret(e.getKey()) && !e.getValue().startsWith("${");
                literalSecret |= secret;
                config.put(e.getKey(), secret ? "****" : e.getValue());
            }
            boolean inBreaker = c.config().getOrDefault("breaker.delegate.connector.class", "").startsWith("io.debezium.");
            debezium |= c.connectorClass().startsWith("io.debezium.") || inBreaker;
            wrapped |= inBreaker;
        }
        try {
            out().println(JSON.writeValueAsString(all));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
        if (!compiled.connectors().isEmpty()) {
            err().println("sluice: the worker needs the Sluice plugin (connect/target/sluice-connect-plugin/)"
                    + (debezium ? " and Debezium's PostgreSQL connector 3.6.x" : "") + " on its plugin.path"
                    + (wrapped ? " (a circuit breaker around Debezium loads it from the Sluice plugin: copy Debezium's"
                            + " jars into that directory)" : "") + ", and "
                    + "config.providers=env with config.providers.env.class="
                    + "org.apache.kafka.common.config.provider.EnvVarConfigProvider for ${env:...} values");
        }
        if (literalSecret) {
            err().println("sluice: warning: a password, key or token is written in the script; it is printed as **** — write "
                    + "'${PGPASSWORD}' or '${AWS_SECRET_ACCESS_KEY}' (an environment variable) instead");
        }
        err().flush();
        return ExitCodes.OK;
    }

    /** Config keys that hold credentials: passwords, S3 keys, SSE-C keys, bearer tokens. */
    static boolean isSecret(String key) {
        return key.contains("password") || key.contains("secret") || key.contains("token") || key.endsWith("access.key.id")
                || key.endsWith("customer.key") || key.endsWith("external.id");
    }
}

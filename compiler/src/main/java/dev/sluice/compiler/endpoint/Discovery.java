package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.util.Optional;

/**
 * Where compile-time schema discovery may look: the Kafka cluster to sample topics from (the run's
 * {@code --bootstrap-servers}, which wins over a URI's host, as the application itself runs against
 * one cluster), and whether it may reach out at all. {@link #OFFLINE} compiles from the script
 * alone: a source whose columns would come from a cluster, a registry or a database is a SQL error
 * at its line instead of a wait on the network ({@code sluice fuzz} compiles a million inputs).
 */
public record Discovery(Optional<String> kafkaBootstrap, boolean network) {
    public static final Discovery DEFAULT = new Discovery(Optional.empty(), true);
    public static final Discovery OFFLINE = new Discovery(Optional.empty(), false);

    public Discovery(Optional<String> kafkaBootstrap) {
        this(kafkaBootstrap, true);
    }

    public String kafkaServers(Endpoint.Kafka k) {
        return kafkaBootstrap.orElse(k.servers());
    }

    /** Fails at {@code where} when discovery may not use the network to read {@code what}. */
    public void requireNetwork(NodeLocation where, String what) {
        if (!network) {
            throw new SqlException(where, "cannot discover the columns from " + what + ": discovery is offline",
                    "declare the columns: CREATE STREAM name (col TYPE, ...)");
        }
    }
}

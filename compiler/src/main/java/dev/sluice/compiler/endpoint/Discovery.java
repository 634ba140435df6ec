package dev.sluice.compiler.endpoint;

import java.util.Optional;

/**
 * Where compile-time schema discovery may look: the Kafka cluster to sample topics from (the run's
 * {@code --bootstrap-servers}, which wins over a URI's host, as the application itself runs against
 * one cluster).
 */
public record Discovery(Optional<String> kafkaBootstrap) {
    public static final Discovery DEFAULT = new Discovery(Optional.empty());

    public String kafkaServers(Endpoint.Kafka k) {
        return kafkaBootstrap.orElse(k.servers());
    }
}

package dev.sluice.cli.serve;

import dev.sluice.cli.ops.HttpServing;

import java.util.Optional;

/**
 * {@code sluice run --http-port}: where the query API listens ({@code bind} defaults to 127.0.0.1),
 * the address other instances reach it at ({@code advertise}: the bind address unless it is a
 * wildcard), and its basic-auth credentials and TLS key store, if any.
 */
public record ServeOptions(String bind, int port, Optional<String> advertise, Optional<HttpServing.Credentials> credentials,
                           Optional<HttpServing.Tls> tls) {
    public static ServeOptions local(int port) {
        return new ServeOptions("127.0.0.1", port, Optional.empty(), Optional.empty(), Optional.empty());
    }
}

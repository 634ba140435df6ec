package dev.sluice.compiler.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP credentials written as WITH options ({@code bearer_token}, or {@code username} and
 * {@code password}), resolved from {@code ${ENV}} for compile-time sampling only: the connector
 * gets the references, which the Connect worker resolves.
 */
final class Authorization {
    private Authorization() {
    }

    static Optional<String> header(Map<String, String> options) {
        String token = options.getOrDefault("bearer_token", options.get("auth_token"));
        if (token != null) {
            return Optional.of("Bearer " + Secrets.resolve(token));
        }
        String user = options.getOrDefault("username", options.get("user"));
        if (user != null) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString((Secrets.resolve(user) + ":"
                    + Secrets.resolve(options.getOrDefault("password", ""))).getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }
}

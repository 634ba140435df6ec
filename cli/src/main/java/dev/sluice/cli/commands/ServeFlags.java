package dev.sluice.cli.commands;

import dev.sluice.cli.UsageException;
import dev.sluice.cli.ops.HttpServing;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.serve.ServeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns {@code sluice run}'s --http-* flags into {@link ServeOptions}; secrets come from ${ENV} or files. */
final class ServeFlags {
    private ServeFlags() {
    }

    /** Basic auth and TLS as the flags say; they secure every endpoint of the run (query API and ops). */
    record Security(Optional<HttpServing.Credentials> credentials, Optional<HttpServing.Tls> tls) {
    }

    static ServeOptions options(int port, String bind, String advertise, Security security) {
        if (port < 0 || port > 65535) {
            throw new UsageException("--http-port must be between 0 and 65535, got " + port);
        }
        return new ServeOptions(bind, port, Optional.ofNullable(advertise), security.credentials(), security.tls());
    }

    static Security security(String auth, Path authFile, Path keyStore, String keyStorePassword, EnvPlaceholders env) {
        if (auth != null && authFile != null) {
            throw new UsageException("give --http-auth or --http-auth-file, not both");
        }
        Optional<HttpServing.Credentials> credentials = Optional.empty();
        if (auth != null || authFile != null) {
            String pair = auth != null ? env.resolve("--http-auth", auth) : read(authFile).strip();
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new UsageException((auth != null ? "--http-auth" : "--http-auth-file " + authFile)
                        + " must hold USER:PASSWORD");
            }
            credentials = Optional.of(new HttpServing.Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
        }
        Optional<HttpServing.Tls> tls = Optional.empty();
        if (keyStore != null) {
            if (keyStorePassword == null) {
                throw new UsageException("--http-tls-keystore needs --http-tls-password (as ${ENV_VAR})");
            }
            tls = Optional.of(new HttpServing.Tls(keyStore, env.resolve("--http-tls-password", keyStorePassword)));
        }
        return new Security(credentials, tls);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }
}

package dev.sluice.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The web console: one static page that reads {@code /console/state} and {@code /query-stream}. */
final class Console {
    private Console() {
    }

    static byte[] html() {
        try (InputStream in = Console.class.getResourceAsStream("console.html")) {
            if (in == null) {
                throw new IllegalStateException("console.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

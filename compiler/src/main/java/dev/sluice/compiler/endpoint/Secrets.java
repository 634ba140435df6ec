package dev.sluice.compiler.endpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} in a WITH option or a URI becomes Kafka Connect's {@code ${env:NAME}}: the worker
 * resolves it from its own environment (EnvVarConfigProvider), so the secret is never in a plan,
 * a printed config or the Connect config topic.
 */
public final class Secrets {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Secrets() {
    }

    public static String toConnect(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement("${env:" + r.group(1) + "}"));
    }

    /** A value as Sluice itself uses it at compile time (catalog lookups): resolved from the environment. */
    public static String resolve(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        return m.replaceAll(r -> {
            String v = System.getenv(r.group(1));
            return Matcher.quoteReplacement(v == null ? "" : v);
        });
    }

    public static boolean isReference(String value) {
        return PLACEHOLDER.matcher(value).matches();
    }
}

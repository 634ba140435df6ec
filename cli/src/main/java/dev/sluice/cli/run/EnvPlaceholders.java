package dev.sluice.cli.run;

import dev.sluice.cli.UsageException;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${ENV_VAR}} in a setting's value is read from the environment, so secrets (SASL passwords,
 * registry credentials) live in the environment (a Kubernetes Secret) instead of in the SQL or a
 * config file. Resolved values are never printed: error messages name the variable and the setting,
 * never a value.
 */
public final class EnvPlaceholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** A whole SQL string literal that is one placeholder: {@code '${NAME}'}. */
    private static final Pattern SQL_LITERAL = Pattern.compile("'\\$\\{([A-Za-z_][A-Za-z0-9_]*)}'");

    private final Function<String, String> environment;

    public EnvPlaceholders(Function<String, String> environment) {
        this.environment = environment;
    }

    public static EnvPlaceholders system() {
        return new EnvPlaceholders(System::getenv);
    }

    public static EnvPlaceholders of(Map<String, String> environment) {
        return new EnvPlaceholders(environment::get);
    }

    /** Replaces every {@code ${NAME}} in {@code value}; {@code setting} names the value in errors. */
    public String resolve(String setting, String value) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(lookup(m.group(1), setting)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Replaces SQL string literals that consist of one placeholder ({@code 'sasl.jaas.config' =
     * '${JAAS}'} in a WITH or SET) by the quoted value, before the script is compiled. Only whole
     * literals: a {@code ${...}} inside a longer string may be data.
     */
    public String resolveSqlLiterals(String sql) {
        if (!sql.contains("${")) {
            return sql;
        }
        Matcher m = SQL_LITERAL.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = lookup(m.group(1), "the script (line " + line(sql, m.start()) + ")");
            m.appendReplacement(out, Matcher.quoteReplacement("'" + value.replace("'", "''") + "'"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String lookup(String name, String usedBy) {
        String value = environment.apply(name);
        if (value == null) {
            throw new UsageException("environment variable " + name + " is not set (it is referenced as ${"
                    + name + "} in " + usedBy + ")");
        }
        return value;
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

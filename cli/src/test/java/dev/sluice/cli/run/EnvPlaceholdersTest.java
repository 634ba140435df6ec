package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.UsageException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvPlaceholdersTest {
    private final EnvPlaceholders env = EnvPlaceholders.of(Map.of("SR_PASS", "s3cr'et", "USER", "bob"));

    @Test
    void replacesEveryPlaceholderInASettingValue() {
        assertEquals("bob:s3cr'et", env.resolve("basic.auth.user.info", "${USER}:${SR_PASS}"));
        assertEquals("plain", env.resolve("k", "plain"));
    }

    @Test
    void replacesWholeSqlLiteralsQuotingTheValueAndLeavesOtherTextAlone() {
        String sql = "CREATE STREAM s (a INT) WITH ('basic.auth.user.info' = '${SR_PASS}', 'x' = 'cost ${USER} here');";
        assertEquals("CREATE STREAM s (a INT) WITH ('basic.auth.user.info' = 's3cr''et', 'x' = 'cost ${USER} here');",
                env.resolveSqlLiterals(sql));
    }

    @Test
    void anUnsetVariableIsNamedWithWhereItIsUsedButNoValueIsPrinted() {
        UsageException e = assertThrows(UsageException.class,
                () -> env.resolveSqlLiterals("SELECT 1;\nSET 'sasl.jaas.config' = '${JAAS}';"));
        assertEquals("environment variable JAAS is not set (it is referenced as ${JAAS} in the script (line 2))",
                e.getMessage());
        UsageException e2 = assertThrows(UsageException.class, () -> env.resolve("SET 'x'", "${USER}-${NOPE}"));
        assertTrue(e2.getMessage().contains("NOPE"));
        assertFalse(e2.getMessage().contains("bob"));
    }
}

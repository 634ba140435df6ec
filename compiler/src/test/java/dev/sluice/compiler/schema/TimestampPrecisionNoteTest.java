package dev.sluice.compiler.schema;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sluice's TIMESTAMP is TIMESTAMP(3): a column declared finer is accepted and read to the
 * millisecond, and the compiler says so at the column's type (never silently).
 */
class TimestampPrecisionNoteTest {
    private static List<String> precisionNotes(String sql) {
        CompiledScript s = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
        return s.notes().stream().filter(n -> n.contains("below the millisecond")).toList();
    }

    @Test
    void aDeclaredMicrosecondTimestampIsNotedAtItsTypeAndAMillisecondOneIsNot() {
        List<String> notes = precisionNotes("CREATE STREAM runs (id VARCHAR,\n  created_at TIMESTAMP(6) WITH TIME ZONE,\n"
                + "  seen TIMESTAMP(3), tags ARRAY<TIMESTAMP(9)>) WITH ('topic' = 'runs', 'format' = 'json');\n"
                + "SELECT id FROM runs;");
        assertEquals(List.of(
                "runs: 2:14: column created_at TIMESTAMP(6): Sluice's TIMESTAMP is TIMESTAMP(3), digits below the "
                        + "millisecond are cut when read",
                "runs: 3:27: column tags TIMESTAMP(9): Sluice's TIMESTAMP is TIMESTAMP(3), digits below the "
                        + "millisecond are cut when read"), notes);
    }
}

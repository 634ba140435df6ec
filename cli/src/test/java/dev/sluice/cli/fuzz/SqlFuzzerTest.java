package dev.sluice.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short fuzzing campaign over the shipped pipelines: every mutant compiles or fails with a SQL
 * (or usage) error, never an internal error or a hang. {@code sluice fuzz --count 1000000} is the
 * long campaign.
 */
class SqlFuzzerTest {

    private static Path topologies() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("topologies"))) {
            dir = dir.getParent();
        }
        return dir.resolve("topologies");
    }

    @Test
    void tokensJoinBackToTheExactScript() throws Exception {
        String sql = Files.readString(topologies().resolve("l8s2_inner_join/pipeline.sql"));
        assertEquals(sql, String.join("", SqlMutator.tokens(sql)));
    }

    @Test
    void mutantsDifferFromTheirSeedAndAreReproducible() throws Exception {
        String sql = Files.readString(topologies().resolve("l4s4_unique_users/pipeline.sql"));
        SqlMutator mutator = new SqlMutator(java.util.Set.of("COUNT", "UPPER"));
        String a = mutator.mutate(sql, sql, new SplittableRandom(7));
        assertEquals(a, mutator.mutate(sql, sql, new SplittableRandom(7)));
        long changed = java.util.stream.LongStream.range(0, 50)
                .filter(s -> !mutator.mutate(sql, sql, new SplittableRandom(s)).equals(sql)).count();
        assertTrue(changed >= 45, changed + " of 50 mutants differ from the seed");
    }

    @Test
    void twoThousandMutantsOfTheShippedPipelinesEndInExit0Or65(@TempDir Path findings) {
        List<String> corpus = SqlFuzzer.corpus(topologies());
        SqlFuzzer.Result r = new SqlFuzzer(corpus, Duration.ofSeconds(60)).run(2_000, 17, 20, findings);
        System.out.println(r.inputs() + " inputs: " + r.compiled() + " compiled, " + r.sqlErrors() + " SQL errors, "
                + r.usageErrors() + " usage errors");
        assertTrue(r.findings().isEmpty(), r.findings().size() + " inputs crashed or hung the compiler:\n"
                + String.join("\n\n", r.findings().stream().map(f -> f.kind() + ": " + f.detail() + "\n" + f.sql()).toList()));
        assertEquals(2_000, r.inputs());
        assertTrue(r.compiled() > 0 && r.sqlErrors() > 0, "the mutants exercise both outcomes: " + r);
    }
}

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
    void corpusHoldsThePipelinesTheNexmarkQueriesWithTheirDdlAndTheSeedsSqlBlocks() {
        Path root = topologies().getParent();
        List<String> nexmark = FuzzCorpus.load(List.of(root.resolve("bench/nexmark/queries")));
        assertTrue(nexmark.size() >= 20 && nexmark.stream().allMatch(s -> s.contains("CREATE TABLE kafka")),
                "each Nexmark query comes with the DDL of its folder");
        List<String> seeds = FuzzCorpus.load(List.of(root.resolve("grammar/src/test/resources/seeds")));
        assertTrue(seeds.size() > 30 && seeds.stream().noneMatch(s -> s.contains("```")),
                seeds.size() + " scripts from the seeds' sql blocks, without their fences");
    }

    @Test
    void grammarGeneratesStatementsOfManyKindsAndManyOfThemParse() {
        GrammarGenerator generator = new GrammarGenerator();
        List<String> names = List.of("feedback_events", "user_id", "model_id", "event_time");
        int parsed = 0;
        java.util.Set<String> firstWords = new java.util.TreeSet<>();
        for (int s = 0; s < 500; s++) {
            String sql = generator.statement(names, new SplittableRandom(s), 40);
            firstWords.add(sql.split("\\s+")[0].toUpperCase(java.util.Locale.ROOT));
            try {
                dev.sluice.grammar.SqlParser.parseScript(sql);
                parsed++;
            } catch (dev.sluice.grammar.SqlException e) {
                // an ignored precedence predicate or a keyword where a name goes: still a good input
            }
        }
        assertTrue(parsed >= 100, parsed + " of 500 generated statements parse");
        assertTrue(firstWords.containsAll(List.of("SELECT", "CREATE", "INSERT", "DROP")), "statement kinds: " + firstWords);
    }

    @Test
    void threeThousandGeneratedAndMutatedInputsEndInExit0Or65OnTwoThreads(@TempDir Path findings) {
        Path root = topologies().getParent();
        List<String> corpus = FuzzCorpus.load(List.of(topologies(), root.resolve("bench/nexmark/queries"),
                root.resolve("grammar/src/test/resources/seeds")));
        SqlFuzzer.Result r = new SqlFuzzer(corpus, Duration.ofSeconds(60), 2).run(3_000, 17, 20, findings);
        System.out.println(r.inputs() + " inputs: " + r.compiled() + " compiled, " + r.sqlErrors() + " SQL errors, "
                + r.usageErrors() + " usage errors");
        assertTrue(r.findings().isEmpty(), r.findings().size() + " causes of crashes or hangs:\n"
                + String.join("\n\n", r.findings().stream().map(f -> f.kind() + ": " + f.detail() + "\n" + f.sql()).toList()));
        assertEquals(3_000, r.inputs());
        assertTrue(r.compiled() > 0 && r.sqlErrors() > 0, "the inputs exercise both outcomes: " + r);
    }
}

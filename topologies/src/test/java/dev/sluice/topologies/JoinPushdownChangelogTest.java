package dev.sluice.topologies;

import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WHERE pushed into a regular join's inputs keeps the ordered changelog: every record each sink
 * receives (key and value bytes, timestamp, in order) is the same with the rules on as with none,
 * over random bids and auctions with repeated ids, NULL keys and duplicate rows. LEFT and RIGHT
 * joins emit retractions of padded rows, so their order and keys (row identities) are checked too.
 */
class JoinPushdownChangelogTest {
    private static final String DDL = "CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json');\n"
            + "CREATE TABLE auctions (id BIGINT, category BIGINT, seller BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka', 'topic' = 'auctions', 'format' = 'json');\n"
            + "CREATE TABLE out1 (auction BIGINT, price BIGINT, category BIGINT, seller BIGINT) WITH ('connector' = 'blackhole');\n";

    @ParameterizedTest
    @ValueSource(strings = {"", "LEFT", "RIGHT"})
    void theOrderedChangelogIsTheSameWithTheFilterBelowTheJoin(String kind, @TempDir Path dir) throws Exception {
        String sql = DDL + "INSERT INTO out1 SELECT b.auction, b.price, a.category, a.seller FROM bids b " + kind
                + " JOIN auctions a ON a.id = b.auction WHERE a.category = 10 AND b.price > 50;\n";
        List<ReplayInput> inputs = randomInputs(dir, new Random(13));
        SluiceCompiler compiler = new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW));
        CompiledScript on = compiler.withOptimizer(OptimizerSettings.all()).compile(sql, "pushdown", BuildOptions.REPLAY);
        CompiledScript off = compiler.withOptimizer(OptimizerSettings.none()).compile(sql, "pushdown", BuildOptions.REPLAY);
        assertTrue(on.optimization().fired().stream().anyMatch(f -> f.description().contains("of join")),
                on.optimization().toString());
        List<String> withRule = changelog(on, inputs);
        List<String> without = changelog(off, inputs);
        assertTrue(without.size() > 20, "too few rows to compare: " + without.size());
        assertEquals(without, withRule);
    }

    private static List<String> changelog(CompiledScript script, List<ReplayInput> inputs) {
        List<String> out = new ArrayList<>();
        new Replayer().recordingSinks(r -> out.add(r.query() + " " + encode(r.key()) + " " + encode(r.value()) + " "
                + r.timestamp())).replay(script, inputs, true);
        return out;
    }

    private static String encode(byte[] bytes) {
        return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
    }

    private static List<ReplayInput> randomInputs(Path dir, Random random) throws Exception {
        StringBuilder bids = new StringBuilder();
        StringBuilder auctions = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String ts = String.format("\"2024-01-15 10:%02d:%02d.000\"", i / 60, i % 60);
            if (random.nextInt(4) == 0) {
                String id = random.nextInt(10) == 0 ? "null" : String.valueOf(random.nextInt(12));
                auctions.append("{\"id\":").append(id).append(",\"category\":").append(9 + random.nextInt(3))
                        .append(",\"seller\":").append(random.nextInt(100)).append(",\"ts\":").append(ts).append("}\n");
            } else {
                String auction = random.nextInt(10) == 0 ? "null" : String.valueOf(random.nextInt(12));
                String line = "{\"auction\":" + auction + ",\"price\":" + random.nextInt(100) + ",\"ts\":" + ts + "}\n";
                bids.append(line);
                if (random.nextInt(8) == 0) {
                    bids.append(line); // an equal row: padded rows of equal rows get distinct identities
                }
            }
        }
        return List.of(new ReplayInput("bids", Files.writeString(dir.resolve("bids.jsonl"), bids)),
                new ReplayInput("auctions", Files.writeString(dir.resolve("auctions.jsonl"), auctions)));
    }
}

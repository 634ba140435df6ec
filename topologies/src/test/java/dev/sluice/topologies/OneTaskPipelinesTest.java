package dev.sluice.topologies;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pipeline in {@code topologies/} compiled as {@code sluice run} compiles it when every source
 * topic has one partition (the optimizer's {@code onetask} rule: re-keys in the task, no repartition
 * topics): every case gives the same committed Flink rows, ordered changelogs and ORDER BY sequences
 * as {@link PipelinesTest} checks on the partitioned plan; the topology names everything itself and
 * keeps the store names (but a shared step's hash, which covers its plan); and the only repartition
 * topics left are those the rule cannot remove (a table GROUP BY's, a windowed aggregate's
 * {@code -to-table}, a ranking over a table, a source table keyed from its value).
 */
class OneTaskPipelinesTest {

    @TestFactory
    List<DynamicNode> everyPipelineGivesItsRowsWithOneTaskPerSubTopology() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path pipeline : Pipelines.all()) {
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("topology", () -> topology(pipeline)));
            for (Path c : Pipelines.cases(pipeline)) {
                tests.add(DynamicTest.dynamicTest("case " + c.getFileName(), () -> PipelinesTest.runCase(pipeline, c,
                        Pipelines.compileForOnePartition(pipeline, BuildOptions.REPLAY))));
            }
            nodes.add(DynamicContainer.dynamicContainer(pipeline.getFileName().toString(), tests));
        }
        assertFalse(nodes.isEmpty(), "no pipelines found under " + Pipelines.root());
        return nodes;
    }

    private static void topology(Path pipeline) {
        CompiledScript partitioned = Pipelines.compile(pipeline, BuildOptions.PRODUCTION);
        CompiledScript one = Pipelines.compileForOnePartition(pipeline, BuildOptions.PRODUCTION);
        String described = one.topology().describe().toString();
        assertFalse(PipelinesTest.GENERATED.matcher(described).find(), "generated names in " + pipeline + ":\n" + described);
        // the same names; a ranking whose table is now built in its task may drop <step>-store (RankBuilder)
        // (a shared step's hash covers its plan, which now says "in task")
        assertTrue(unhashed(names(partitioned, false)).containsAll(unhashed(names(one, false))), "store names: "
                + names(one, false) + " not all in " + names(partitioned, false));
        java.util.Set<String> tables = new TreeSet<>();
        one.sources().forEach(s -> tables.add(s.name() + "-table-repartition"));
        for (String topic : names(one, true)) {
            assertTrue(topic.endsWith("-aggregate-groupby-repartition") || topic.endsWith("-to-table-repartition")
                    || tables.contains(topic) // a source table keyed from its value (SourceBuilder's toTable)
                    || names(partitioned, true).contains(topic) && rankingOverATable(partitioned, topic),
                    "a repartition topic the onetask rule should have removed: " + topic + "\n" + described);
        }
        assertEquals(!names(partitioned, true).equals(names(one, true)), one.optimization().singleTaskPlan(),
                one.optimization().toString());
    }

    private static Set<String> unhashed(Set<String> names) {
        Set<String> out = new TreeSet<>();
        names.forEach(n -> out.add(n.replaceAll("shared-[0-9a-f]{8}", "shared-#")));
        return out;
    }

    /** A ranking's own topic kept for a table input (its deletions travel through it). */
    private static boolean rankingOverATable(CompiledScript compiled, String topic) {
        return compiled.queries().stream().anyMatch(q -> dev.sluice.compiler.Steps.explain(q.plan().root())
                .contains(topic.substring(0, topic.length() - "-repartition".length())));
    }

    /** The store names ({@code topics} false) or the repartition topics ({@code topics} true) of the topology. */
    private static Set<String> names(CompiledScript compiled, boolean topics) {
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : compiled.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (topics && node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().stream().filter(t -> t.endsWith("-repartition")).forEach(out::add);
                } else if (!topics && node instanceof TopologyDescription.Processor p) {
                    out.addAll(p.stores());
                }
            }
        }
        return out;
    }
}

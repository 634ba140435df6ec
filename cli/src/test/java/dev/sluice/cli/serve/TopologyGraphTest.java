package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

class TopologyGraphTest {
    private static final TopologyGraph GRAPH = TopologyGraph.of(new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(
            PullEvaluationTest.APP, "graph", BuildOptions.PRODUCTION).topology().describe());

    @Test
    void dotJoinsSubTopologiesThroughTheirTopicsAndDrawsStores() {
        String dot = GRAPH.dot();
        assertTrue(dot.startsWith("digraph topology {"), dot);
        assertTrue(dot.contains("\"topic:clicks\" -> "), dot);
        assertTrue(dot.contains("\"counts-groupby-repartition-sink\" -> \"topic:graph-counts-groupby-repartition\"")
                || dot.contains("-> \"topic:"), dot);
        assertTrue(dot.contains("shape=cylinder"), "stores are drawn: " + dot);
    }

    @Test
    void mermaidIsAFlowchartWithOneSubgraphPerSubTopology() {
        String mermaid = GRAPH.mermaid();
        assertTrue(mermaid.startsWith("flowchart LR\n"), mermaid);
        assertTrue(mermaid.contains("subgraph sub0[\"sub-topology 0\"]"), mermaid);
        assertTrue(mermaid.contains("[/\"clicks\"/]"), mermaid);
        assertTrue(mermaid.contains(" --> "), mermaid);
    }
}

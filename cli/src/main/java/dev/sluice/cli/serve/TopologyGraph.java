package dev.sluice.cli.serve;

import org.apache.kafka.streams.TopologyDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A topology as a graph: processors, stores and topics as nodes, in Graphviz DOT or Mermaid
 * ({@code sluice explain --format dot|mermaid}, and the web console). Topics are drawn as their own
 * nodes so that sub-topologies connected through a repartition or sink topic are joined up.
 */
public final class TopologyGraph {
    record Edge(String from, String to) {
    }

    private final Map<String, String> nodes = new LinkedHashMap<>(); // id -> kind (processor, topic, store)
    private final Map<String, Integer> subtopologyOf = new LinkedHashMap<>();
    private final Set<Edge> edges = new LinkedHashSet<>();

    private TopologyGraph(TopologyDescription description) {
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.put(node.name(), "processor");
                subtopologyOf.put(node.name(), sub.id());
                for (TopologyDescription.Node next : node.successors()) {
                    edges.add(new Edge(node.name(), next.name()));
                }
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().forEach(t -> {
                        nodes.putIfAbsent("topic:" + t, "topic");
                        edges.add(new Edge("topic:" + t, node.name()));
                    });
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
                    nodes.putIfAbsent("topic:" + s.topic(), "topic");
                    edges.add(new Edge(node.name(), "topic:" + s.topic()));
                }
                if (node instanceof TopologyDescription.Processor p) {
                    p.stores().forEach(store -> {
                        nodes.putIfAbsent("store:" + store, "store");
                        edges.add(new Edge(node.name(), "store:" + store));
                    });
                }
            }
        }
    }

    public static TopologyGraph of(TopologyDescription description) {
        return new TopologyGraph(description);
    }

    public String dot() {
        StringBuilder sb = new StringBuilder("digraph topology {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        Map<Integer, List<String>> bySub = new LinkedHashMap<>();
        subtopologyOf.forEach((n, s) -> bySub.computeIfAbsent(s, k -> new ArrayList<>()).add(n));
        bySub.forEach((sub, names) -> {
            sb.append("  subgraph cluster_").append(sub).append(" {\n    label=\"sub-topology ").append(sub).append("\";\n");
            names.forEach(n -> sb.append("    ").append(quote(n)).append(" [shape=box];\n"));
            sb.append("  }\n");
        });
        nodes.forEach((n, kind) -> {
            if (!kind.equals("processor")) {
                sb.append("  ").append(quote(n)).append(" [label=").append(quote(label(n)))
                        .append(kind.equals("topic") ? ", shape=cds" : ", shape=cylinder").append("];\n");
            }
        });
        edges.forEach(e -> sb.append("  ").append(quote(e.from())).append(" -> ").append(quote(e.to())).append(";\n"));
        return sb.append("}\n").toString();
    }

    public String mermaid() {
        Map<String, String> ids = new LinkedHashMap<>();
        nodes.keySet().forEach(n -> ids.put(n, "n" + ids.size()));
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        Map<Integer, List<String>> bySub = new LinkedHashMap<>();
        subtopologyOf.forEach((n, s) -> bySub.computeIfAbsent(s, k -> new ArrayList<>()).add(n));
        bySub.forEach((sub, names) -> {
            sb.append("  subgraph sub").append(sub).append("[\"sub-topology ").append(sub).append("\"]\n");
            names.forEach(n -> sb.append("    ").append(ids.get(n)).append("[\"").append(escape(n)).append("\"]\n"));
            sb.append("  end\n");
        });
        nodes.forEach((n, kind) -> {
            if (kind.equals("topic")) {
                sb.append("  ").append(ids.get(n)).append("[/\"").append(escape(label(n))).append("\"/]\n");
            } else if (kind.equals("store")) {
                sb.append("  ").append(ids.get(n)).append("[(\"").append(escape(label(n))).append("\")]\n");
            }
        });
        edges.forEach(e -> sb.append("  ").append(ids.get(e.from())).append(" --> ").append(ids.get(e.to())).append('\n'));
        return sb.toString();
    }

    /** Nodes and edges as JSON-ready lists, for the console's drawing. */
    public Map<String, Object> json() {
        List<Map<String, Object>> ns = new ArrayList<>();
        nodes.forEach((n, kind) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n);
            m.put("label", label(n));
            m.put("kind", kind);
            m.put("subtopology", subtopologyOf.getOrDefault(n, -1));
            ns.add(m);
        });
        List<List<String>> es = edges.stream().map(e -> List.of(e.from(), e.to())).toList();
        return Map.of("nodes", ns, "edges", es);
    }

    private static String label(String id) {
        return id.replaceFirst("^(topic|store):", "");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String escape(String s) {
        return s.replace("\"", "#quot;");
    }
}

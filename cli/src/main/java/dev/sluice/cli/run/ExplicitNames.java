package dev.sluice.cli.run;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Refuses a topology whose state stores or internal topics carry names Kafka Streams generated
 * ({@code KSTREAM-AGGREGATE-STATE-STORE-0000000003}). Such names come from a build-order counter:
 * a changed query shifts them, and a restarted instance no longer finds its state.
 *
 * <p>Kafka Streams' own {@code ensure.explicit.internal.resource.naming} is enforced only while a
 * {@code StreamsBuilder} constructed with that config builds; the topology a run gets is already
 * built, so the run checks the built topology's description instead.
 */
public final class ExplicitNames {
    private static final Pattern GENERATED = Pattern.compile("(KSTREAM|KTABLE)-[A-Z-]+-\\d{10}");

    private ExplicitNames() {
    }

    /** The generated store and internal-topic names in {@code topology}; empty when all are explicit. */
    public static List<String> generatedNames(Topology topology) {
        List<String> found = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    for (String store : p.stores()) {
                        add(found, "state store " + store, store);
                    }
                }
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().forEach(t -> add(found, "topic " + t, t));
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
                    add(found, "topic " + s.topic(), s.topic());
                }
            }
        }
        for (TopologyDescription.GlobalStore g : topology.describe().globalStores()) {
            g.processor().stores().forEach(store -> add(found, "global store " + store, store));
        }
        return found;
    }

    private static void add(List<String> found, String what, String name) {
        if (GENERATED.matcher(name).find() && !found.contains(what)) {
            found.add(what);
        }
    }
}

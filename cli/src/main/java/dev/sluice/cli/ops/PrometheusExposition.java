package dev.sluice.cli.ops;

import dev.sluice.runtime.metrics.SluiceMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): Kafka's metrics as
 * {@code kafka_streams_<group>_<name>} with their tags as labels, and Sluice's counters under their
 * own names.
 *
 * <p>Prometheus rejects a scrape in which one family's samples are split or typed twice, so samples
 * are grouped by family before anything is written, and a sample whose name and labels collide with
 * an earlier one after sanitizing is dropped rather than repeated.
 */
public final class PrometheusExposition {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String KAFKA_PREFIX = "kafka_streams_";

    private static final Pattern NOT_A_NAME_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    private PrometheusExposition() {
    }

    /** One sample: a family, its labels, a value. */
    private record Sample(Map<String, String> labels, double value) {
    }

    /** All samples of one metric name, with the HELP and TYPE lines written once before them. */
    private static final class Family {
        final String help;
        final String type;
        final List<Sample> samples = new ArrayList<>();
        final Set<Map<String, String>> seenLabels = new HashSet<>();

        Family(String help, String type) {
            this.help = help;
            this.type = type;
        }

        void add(Map<String, String> labels, double value) {
            if (seenLabels.add(labels)) {
                samples.add(new Sample(labels, value));
            }
        }
    }

    /**
     * Renders Kafka metrics (only those with numeric values; NaN and infinities are kept, as the format
     * allows them; never the RocksDB property gauges, see {@link NativeStoreGauges}) followed by every
     * Sluice counter.
     */
    public static String render(Map<MetricName, ? extends Metric> kafkaMetrics, Map<SluiceMetrics.MetricKey, Long> sluiceCounters) {
        Map<String, Family> families = new TreeMap<>();
        kafkaMetrics.forEach((name, metric) -> {
            if (NativeStoreGauges.readsNativeStore(name, metric)) {
                return; // would race the stream thread closing the store (see NativeStoreGauges)
            }
            Object value = metric.metricValue();
            if (!(value instanceof Number number)) {
                return; // versions, ids and other strings are not samples
            }
            String family = KAFKA_PREFIX + sanitize(name.group()) + "_" + sanitize(name.name());
            // Kafka's cumulative "-total" metrics only grow: Prometheus needs to know to apply rate()
            String type = name.name().endsWith("-total") ? "counter" : "gauge";
            families.computeIfAbsent(family, f -> new Family(name.description(), type))
                    .add(labels(name.tags()), number.doubleValue());
        });
        Map<String, Family> sluice = new LinkedHashMap<>();
        sluiceCounters.forEach((key, value) -> sluice
                .computeIfAbsent(sanitize(key.name()), f -> key.name().endsWith("_total")
                        ? new Family("Sluice counter " + key.name(), "counter")
                        : new Family("Sluice gauge " + key.name(), "gauge"))
                .add(labels(key.labels()), value));

        StringBuilder out = new StringBuilder(64 * 1024);
        families.forEach((name, family) -> write(out, name, family));
        sluice.forEach((name, family) -> write(out, name, family));
        return out.toString();
    }

    private static void write(StringBuilder out, String name, Family family) {
        if (family.help != null && !family.help.isBlank()) {
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(family.help)).append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(family.type).append('\n');
        // Kafka's registry is a hash map: sort so that two scrapes list samples alike
        family.samples.sort(Comparator.comparing(sample -> sample.labels().toString()));
        for (Sample sample : family.samples) {
            out.append(name);
            if (!sample.labels().isEmpty()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(label.getKey()).append("=\"").append(escapeLabelValue(label.getValue())).append('"');
                }
                out.append('}');
            }
            out.append(' ').append(formatValue(sample.value())).append('\n');
        }
    }

    private static Map<String, String> labels(Map<String, String> tags) {
        Map<String, String> labels = new TreeMap<>();
        tags.forEach((k, v) -> labels.put(sanitize(k), v == null ? "" : v));
        return labels;
    }

    /** Prometheus names and label names: letters, digits and underscores, not starting with a digit. */
    static String sanitize(String raw) {
        String name = NOT_A_NAME_CHAR.matcher(raw).replaceAll("_");
        return !name.isEmpty() && Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value); // counts read better without ".0"
        }
        return Double.toString(value);
    }

    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}

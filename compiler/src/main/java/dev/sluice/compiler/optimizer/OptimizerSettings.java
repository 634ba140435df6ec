package dev.sluice.compiler.optimizer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code SET 'sluice.optimizer.rules' = 'share,pushdown,prune,rekey,colocate'}: which rules run. {@code all}
 * turns every rule on, {@code none} (or an empty value) none. The default is all: the rules
 * rename and re-shape state stores and internal topics, which a new application does not care
 * about, and {@code sluice run} refuses to resume an application whose state an incompatible
 * version left (an application started without the rules keeps its layout with {@code 'none'};
 * docs/optimizer.md).
 */
public record OptimizerSettings(Set<String> rules) {
    public static final String KEY = "sluice.optimizer.rules";
    /**
     * The order rules run in: per-query rewrites first, then sharing over the simplified plans, then
     * {@code top}, which needs a shared aggregate to be one step. {@code onetask} fires only when the
     * compiler is told that every source topic has one partition ({@code sluice run} tells it).
     */
    public static final List<String> ALL = List.of("pushdown", "prune", "rekey", "colocate", "onetask", "share",
            "top");

    public OptimizerSettings {
        rules = Set.copyOf(rules);
    }

    public static OptimizerSettings none() {
        return new OptimizerSettings(Set.of());
    }

    public static OptimizerSettings all() {
        return new OptimizerSettings(Set.copyOf(ALL));
    }

    public static OptimizerSettings from(Map<String, String> settings) {
        String value = settings.get(KEY);
        return value == null ? all() : parse(value);
    }

    /** @throws IllegalArgumentException naming the unknown rule and the known ones */
    public static OptimizerSettings parse(String value) {
        Set<String> rules = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String rule = part.strip().toLowerCase(Locale.ROOT);
            if (rule.isEmpty() || rule.equals("none")) {
                continue;
            }
            if (rule.equals("all")) {
                rules.addAll(ALL);
            } else if (ALL.contains(rule)) {
                rules.add(rule);
            } else {
                throw new IllegalArgumentException("'" + KEY + "': unknown rule '" + part.strip()
                        + "'; rules are " + String.join(", ", ALL) + " (or all, none)");
            }
        }
        return new OptimizerSettings(rules);
    }

    public boolean enabled(String rule) {
        return rules.contains(rule);
    }

    /** Enabled rules in the order they run. */
    public List<String> ordered() {
        List<String> out = new ArrayList<>();
        for (String r : ALL) {
            if (rules.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }
}

package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a new version of a script can resume from the state the old version left: every state
 * store and internal topic of the old application that the new one drops (orphans), renames, or
 * keeps under the same name with a different key or value format (reinterprets). Resources only
 * the new version has start empty and block nothing.
 */
public final class UpgradeCheck {
    private UpgradeCheck() {
    }

    /** Kafka Streams' names for a window join's stores under {@code withStoreName(<step>-store)}. */
    private static final java.util.regex.Pattern WINDOW_JOIN_STORE =
            java.util.regex.Pattern.compile("(.*)-store-(outer-)?(this|other)-join-store(-changelog)?");

    public enum Verdict {
        ORPHANED(true), RENAMED(true), CHANGED_KEY(true), CHANGED_SCHEMA(true), NEW(false),
        /**
         * New, and it cannot start empty: rows it must hold were never stored (a regular join's
         * left rows that a three-way join computed from its inputs' stores instead).
         */
        UNFILLED(true),
        /** No longer used, and nothing is lost: what it held is in a resource the new version keeps. */
        RETIRED(false);

        public final boolean blocksResume;

        Verdict(boolean blocksResume) {
            this.blocksResume = blocksResume;
        }
    }

    /** One resource that changes; {@code detail} says how (old and new formats, or the new name). */
    public record Change(String query, StateResources.Resource resource, Verdict verdict, String detail) {
    }

    public record Result(String oldApplicationId, String newApplicationId, List<Change> changes) {
        public boolean canResume() {
            return oldApplicationId.equals(newApplicationId)
                    && changes.stream().noneMatch(c -> c.verdict().blocksResume);
        }

        /** The explanation {@code sluice diff} prints (and {@code sluice run} when it refuses to start), line by line. */
        public List<String> explain() {
            List<String> out = new ArrayList<>();
            if (!oldApplicationId.equals(newApplicationId)) {
                out.add("application.id changes from " + oldApplicationId + " to " + newApplicationId
                        + ": a new consumer group; all old state and offsets are left behind");
            }
            Map<String, List<Change>> byQuery = new LinkedHashMap<>();
            for (Change c : changes) {
                byQuery.computeIfAbsent(c.query(), k -> new ArrayList<>()).add(c);
            }
            for (var e : byQuery.entrySet()) {
                out.add("query " + e.getKey() + ":");
                for (Change c : e.getValue()) {
                    out.add("  " + c.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " "
                            + c.resource().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + c.resource().name()
                            + ": " + c.detail());
                }
            }
            if (changes.isEmpty()) {
                out.add("no state store or internal topic changes");
            }
            out.add(canResume() ? "the new version can resume from the old state"
                    : "the new version cannot resume from the old state: reset the application (or keep the old names)");
            return out;
        }
    }

    public static Result compare(CompiledScript oldScript, CompiledScript newScript) {
        return compare(oldScript.applicationId(), StateResources.of(oldScript), newScript.applicationId(),
                StateResources.of(newScript));
    }

    /**
     * Compares resources as {@link StateResources#of} lists them, each under its application id:
     * {@code sluice run} reads the old list from the manifest the previous run left on the cluster.
     */
    public static Result compare(String oldApplicationId, List<StateResources.Resource> oldResources,
                                 String newApplicationId, List<StateResources.Resource> newResources) {
        Map<String, StateResources.Resource> before = byLocalName(oldApplicationId, oldResources);
        Map<String, StateResources.Resource> after = byLocalName(newApplicationId, newResources);
        List<Change> changes = new ArrayList<>();
        Set<String> matchedNew = new HashSet<>();
        for (var e : before.entrySet()) {
            StateResources.Resource old = e.getValue();
            StateResources.Resource now = after.get(e.getKey());
            String query = old.queries().isEmpty() ? "?" : String.join(",", old.queries());
            if (now != null) {
                matchedNew.add(e.getKey());
                if (!old.key().equals(now.key())) {
                    changes.add(new Change(query, old, Verdict.CHANGED_KEY, "key " + old.key() + " -> " + now.key()));
                } else if (!old.value().equals(now.value())) {
                    changes.add(new Change(query, old, Verdict.CHANGED_SCHEMA, old.value() + " -> " + now.value()));
                }
                continue;
            }
            String keeper = dedupTable(e.getKey(), old, before, after);
            if (keeper != null) {
                changes.add(new Change(query, old, Verdict.RETIRED, "the deduplication now reads its kept rows from "
                        + keeper + ", which holds them already"));
                continue;
            }
            String ranked = rankTable(e.getKey(), old, before, after);
            if (ranked != null) {
                changes.add(new Change(query, old, Verdict.RETIRED, "the ranking now reads its kept rows from "
                        + ranked + ", which holds them already (a stream's kept rows are its top positions)"));
                continue;
            }
            if (threeWayJoinPairs(e.getKey(), old, after)) {
                changes.add(new Change(query, old, Verdict.RETIRED, "the join's left rows are pairs of the regular"
                        + " join below it, which now runs with it as one three-way join and reads those pairs' rows"
                        + " from the stores that join keeps; its right rows stay in " + rightRows(e.getKey())));
                continue;
            }
            String reader = groupByReadsOldRowsFromItsInput(e.getKey(), old, before, after);
            if (reader != null) {
                changes.add(new Change(query, old, Verdict.RETIRED, "the GROUP BY " + reader + " now receives each"
                        + " input row's previous value with the update, from its input table's store, which holds"
                        + " the same rows"));
                continue;
            }
            String rowsFrom = groupByComputesItsRows(e.getKey(), old, before, after);
            if (rowsFrom != null) {
                changes.add(new Change(query, old, Verdict.RETIRED, "the GROUP BY " + rowsFrom + " now computes each"
                        + " group's previous row from its state in " + rowsFrom + "-store, which it keeps; the old"
                        + " copy of its rows (and its changelog topic) is no longer read"));
                continue;
            }
            // Gone under this name: is the same thing under another name (a renamed query or step)?
            // Several old resources may go to one shared-<hash> resource: a sub-plan now computed once.
            StateResources.Resource renamed = null;
            for (var n : after.entrySet()) {
                StateResources.Resource c = n.getValue();
                boolean free = !matchedNew.contains(n.getKey()) || c.name().contains("shared-");
                if (!before.containsKey(n.getKey()) && free && c.kind() == old.kind()
                        && c.key().equals(old.key()) && c.value().equals(old.value())
                        && role(n.getKey(), c.step()).equals(role(e.getKey(), old.step()))) {
                    renamed = c;
                    matchedNew.add(n.getKey());
                    break;
                }
            }
            if (renamed != null) {
                changes.add(new Change(query, old, Verdict.RENAMED, "now " + renamed.name() + " (step " + old.step()
                        + " -> " + renamed.step() + (renamed.name().contains("shared-")
                        ? ", computed once for every consumer of the same sub-plan" : "")
                        + "); its state is not found under the new name"));
            } else if (windowJoinStore(e.getKey(), old, after) != null) {
                changes.add(new Change(query, old, Verdict.ORPHANED, "a regular join's rows in Kafka Streams' window "
                        + "store; this version keeps them in " + windowJoinStore(e.getKey(), old, after)
                        + " (Sluice's own join operator), which start empty: every row the join holds would be lost"));
            } else {
                changes.add(new Change(query, old, Verdict.ORPHANED, "no longer used"));
            }
        }
        for (var n : after.entrySet()) {
            if (!matchedNew.contains(n.getKey())) {
                StateResources.Resource r = n.getValue();
                String query = r.queries().isEmpty() ? "?" : String.join(",", r.queries());
                if (threeWayJoinPairs(n.getKey(), r, before)) {
                    changes.add(new Change(query, r, Verdict.UNFILLED, "the join's left rows were not stored: it ran"
                            + " with the regular join below it as one three-way join; this store would start empty"
                            + " and miss every pair made before (reset the application's state to run this plan)"));
                } else {
                    changes.add(new Change(query, r, Verdict.NEW, "starts empty"));
                }
            }
        }
        return new Result(oldApplicationId, newApplicationId, changes);
    }

    /**
     * A regular INNER join's left rows store (or its changelog) that one version has and
     * {@code other} lacks while {@code other} keeps the same join's right rows: the three-way join
     * (the join and the regular join below it as one operator) stores no left rows, and nothing else
     * drops one side of a regular join.
     */
    private static boolean threeWayJoinPairs(String localKey, StateResources.Resource resource,
                                             Map<String, StateResources.Resource> other) {
        return resource.kind() != StateResources.Kind.REPARTITION
                && resource.value().endsWith(StateResources.REGULAR_INNER_ROWS)
                && (localKey.endsWith(LEFT_ROWS) || localKey.endsWith(LEFT_ROWS + CHANGELOG))
                && !other.containsKey(localKey) && other.containsKey(rightRows(localKey));
    }

    private static final String LEFT_ROWS = "-left-rows-store";
    private static final String CHANGELOG = "-changelog";

    /** The right rows store (or changelog) of the join whose left rows are {@code leftRowsKey}. */
    private static String rightRows(String leftRowsKey) {
        int at = leftRowsKey.lastIndexOf(LEFT_ROWS);
        return leftRowsKey.substring(0, at) + "-right-rows-store" + leftRowsKey.substring(at + LEFT_ROWS.length());
    }

    /**
     * A deduplication's own store of kept rows ({@code <step>-store} and its changelog), which a
     * deduplication without a retention no longer has: its rows are in {@code <step>-table-store},
     * unchanged in both versions, which it now reads. Returns that store's name, or null.
     */
    private static String dedupTable(String localKey, StateResources.Resource old,
                                     Map<String, StateResources.Resource> before,
                                     Map<String, StateResources.Resource> after) {
        if (!old.value().endsWith(", keep last") && !old.value().endsWith(", keep first")) {
            return null;
        }
        String table = localKey.endsWith("-store") ? localKey.substring(0, localKey.length() - "-store".length())
                + "-table-store"
                : localKey.endsWith("-store-changelog")
                ? localKey.substring(0, localKey.length() - "-store-changelog".length()) + "-table-store-changelog"
                : null;
        if (table == null) {
            return null;
        }
        StateResources.Resource was = before.get(table);
        StateResources.Resource now = after.get(table);
        return was != null && now != null && was.key().equals(now.key()) && was.value().equals(now.value())
                && now.step().equals(old.step()) ? now.name() : null;
    }

    /**
     * A ranking's own store of each partition's kept rows ({@code <step>-store} and its changelog),
     * which a ranking over a stream with its table in the task no longer has: the rows are those of
     * the partition's positions in {@code <step>-table-store}, unchanged in both versions, which it
     * now reads. Returns that store's name, or null.
     */
    private static String rankTable(String localKey, StateResources.Resource old,
                                    Map<String, StateResources.Resource> before,
                                    Map<String, StateResources.Resource> after) {
        if (!old.value().startsWith("rows ") || !old.value().contains(" limit ")) {
            return null;
        }
        return dedupTable(localKey, new StateResources.Resource(old.name(), old.kind(), old.step(), old.queries(),
                old.key(), old.value().endsWith(", keep last") ? old.value() : old.value() + ", keep last"), before,
                after);
    }

    /**
     * A table GROUP BY's store of each input key's last row ({@code <step>-previous-store} and its
     * changelog), which a GROUP BY over a materialized input table no longer has: the table sends the
     * row each update replaces, read from its own store (a source's, or an aggregate's
     * {@code -table-store}), which held the same rows in the old version. Retired only when the
     * GROUP BY's own state ({@code <step>-store}) is unchanged. Returns the step, or null.
     */
    private static String groupByReadsOldRowsFromItsInput(String localKey, StateResources.Resource old,
                                                           Map<String, StateResources.Resource> before,
                                                           Map<String, StateResources.Resource> after) {
        if (!old.value().startsWith("window ")) { // an aggregate's resource (a ranking has one too)
            return null;
        }
        String stateStore = localKey.endsWith("-previous-store")
                ? localKey.substring(0, localKey.length() - "-previous-store".length()) + "-store"
                : localKey.endsWith("-previous-store-changelog")
                ? localKey.substring(0, localKey.length() - "-previous-store-changelog".length()) + "-store-changelog"
                : null;
        if (stateStore == null) {
            return null;
        }
        StateResources.Resource was = before.get(stateStore);
        StateResources.Resource now = after.get(stateStore);
        return was != null && now != null && was.key().equals(now.key()) && was.value().equals(now.value())
                && now.step().equals(old.step()) ? old.step() : null;
    }

    /**
     * A non-windowed GROUP BY's copy of its rows ({@code <step>-table-store} and its changelog), which a
     * GROUP BY read only as changes no longer has: each row is a function of the group's key and
     * state, and the state is in {@code <step>-store}. Retired only when that store is unchanged
     * (same key and stored form). Returns the step, or null.
     */
    private static String groupByComputesItsRows(String localKey, StateResources.Resource old,
                                                 Map<String, StateResources.Resource> before,
                                                 Map<String, StateResources.Resource> after) {
        if (!old.value().startsWith("window none,")) { // a non-windowed aggregate's resource
            return null;
        }
        String stateStore = localKey.endsWith("-table-store")
                ? localKey.substring(0, localKey.length() - "-table-store".length()) + "-store"
                : localKey.endsWith("-table-store-changelog")
                ? localKey.substring(0, localKey.length() - "-table-store-changelog".length()) + "-store-changelog"
                : null;
        if (stateStore == null || !stateStore.endsWith(old.step() + "-store")
                && !stateStore.endsWith(old.step() + "-store-changelog")) {
            return null;
        }
        StateResources.Resource was = before.get(stateStore);
        StateResources.Resource now = after.get(stateStore);
        return was != null && now != null && was.key().equals(now.key()) && was.value().equals(now.value())
                && now.step().equals(old.step()) ? old.step() : null;
    }

    /**
     * A regular INNER join's window store of an older version ({@code <step>-store-this-join-store},
     * {@code -other-join-store}, or their changelogs) whose step now has Sluice's own stores: their
     * names, or null.
     */
    private static String windowJoinStore(String localKey, StateResources.Resource old,
                                          Map<String, StateResources.Resource> after) {
        java.util.regex.Matcher m = WINDOW_JOIN_STORE.matcher(localKey.substring(localKey.indexOf(':') + 1));
        if (!m.matches()) {
            return null;
        }
        String prefix = old.kind() + ":" + m.group(1);
        List<String> now = after.entrySet().stream()
                .filter(n -> n.getKey().startsWith(prefix + "-left-rows-store")
                        || n.getKey().startsWith(prefix + "-right-rows-store"))
                .map(n -> n.getValue().name()).sorted().toList();
        return now.isEmpty() ? null : String.join(" and ", now);
    }

    /** Resources keyed by their name without the application id, so two ids can be compared too. */
    private static Map<String, StateResources.Resource> byLocalName(String applicationId,
                                                                    List<StateResources.Resource> resources) {
        Map<String, StateResources.Resource> out = new LinkedHashMap<>();
        for (StateResources.Resource r : resources) {
            String local = r.name().startsWith(applicationId + "-")
                    ? r.name().substring(applicationId.length() + 1) : r.name();
            out.put(r.kind() + ":" + local, r);
        }
        return out;
    }

    private static String role(String localName, String step) {
        int at = localName.indexOf(step);
        return at < 0 ? localName : localName.substring(at + step.length());
    }
}

package dev.sluice.bench;

import static dev.sluice.bench.StreamScalingShapes.ARRAY_CHANGES_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_CONSTANT_KEY_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_DISTINCT_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_GROUP_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_HOP_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_SORTED_SQL;
import static dev.sluice.bench.StreamScalingShapes.ARRAY_SQL;
import static dev.sluice.bench.StreamScalingShapes.COUNTS_SQL;
import static dev.sluice.bench.StreamScalingShapes.DISTINCT_STREAM_SQL;
import static dev.sluice.bench.StreamScalingShapes.DISTINCT_UNORDERED_SQL;
import static dev.sluice.bench.StreamScalingShapes.GROUP_SQL;
import static dev.sluice.bench.StreamScalingShapes.HOP_SQL;
import static dev.sluice.bench.StreamScalingShapes.PERCENTILE_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_ARRAY_SORTED_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_COLLECTIONS_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_CONSTANT_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_DISTINCT_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_SETS_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_SQL;
import static dev.sluice.bench.StreamScalingShapes.SESSION_STDDEV_DISTINCT_SQL;
import static dev.sluice.bench.StreamScalingShapes.SETS_GROUP_SQL;
import static dev.sluice.bench.StreamScalingShapes.SETS_SQL;
import static dev.sluice.bench.StreamScalingShapes.TOPK_SQL;
import static dev.sluice.bench.StreamScalingShapes.TUMBLE_SQL;
import static dev.sluice.bench.TableScalingShapes.ARRAY_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.COUNTS_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.DISTINCT_RETRACTING_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.DISTINCT_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.DISTINCT_UNORDERED_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.FIRST_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.PERCENTILE_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.SETS_DISTINCT_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.SETS_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.SORTED_TABLE_SQL;
import static dev.sluice.bench.TableScalingShapes.TABLE_SQL;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalogue of {@link AggregateScaling}'s shapes: each {@code --shape} name with its SQL, over a
 * stream of bids ({@link StreamScalingShapes}) or over a table of bids whose rows are updated and
 * deleted ({@link TableScalingShapes}).
 */
final class ScalingShapes {
    /** Every shape by its {@code --shape} name, in the order the usage lists them. */
    static final Map<String, String> SHAPES = ordered(
            Map.entry("group", GROUP_SQL),
            Map.entry("tumble", TUMBLE_SQL),
            Map.entry("hop", HOP_SQL),
            Map.entry("session", SESSION_SQL),
            Map.entry("table", TABLE_SQL),
            Map.entry("array", ARRAY_SQL),
            Map.entry("array-changes", ARRAY_CHANGES_SQL),
            Map.entry("array-hop", ARRAY_HOP_SQL),
            Map.entry("percentile", PERCENTILE_SQL),
            Map.entry("percentile-table", PERCENTILE_TABLE_SQL),
            Map.entry("topk", TOPK_SQL),
            Map.entry("counts", COUNTS_SQL),
            Map.entry("counts-table", COUNTS_TABLE_SQL),
            Map.entry("session-collections", SESSION_COLLECTIONS_SQL),
            Map.entry("session-distinct", SESSION_DISTINCT_SQL),
            Map.entry("array-group", ARRAY_GROUP_SQL),
            Map.entry("array-table", ARRAY_TABLE_SQL),
            Map.entry("first-table", FIRST_TABLE_SQL),
            Map.entry("distinct-stream", DISTINCT_STREAM_SQL),
            Map.entry("distinct-table", DISTINCT_TABLE_SQL),
            Map.entry("array-sorted", ARRAY_SORTED_SQL),
            Map.entry("sorted-table", SORTED_TABLE_SQL),
            Map.entry("sets", SETS_SQL),
            Map.entry("sets-group", SETS_GROUP_SQL),
            Map.entry("sets-table", SETS_TABLE_SQL),
            Map.entry("distinct-unordered", DISTINCT_UNORDERED_SQL),
            Map.entry("distinct-unordered-table", DISTINCT_UNORDERED_TABLE_SQL),
            Map.entry("session-stddev-distinct", SESSION_STDDEV_DISTINCT_SQL),
            Map.entry("session-sets", SESSION_SETS_SQL),
            Map.entry("session-array-sorted", SESSION_ARRAY_SORTED_SQL),
            Map.entry("array-distinct", ARRAY_DISTINCT_SQL),
            Map.entry("sets-distinct-table", SETS_DISTINCT_TABLE_SQL),
            Map.entry("distinct-retracting-table", DISTINCT_RETRACTING_TABLE_SQL),
            Map.entry("array-constant-key", ARRAY_CONSTANT_KEY_SQL),
            Map.entry("session-constant", SESSION_CONSTANT_SQL));
    /** The shapes whose input is a table: their records update and delete rows, so every record retracts. */
    static final Set<String> TABLE_SHAPES = SHAPES.entrySet().stream()
            .filter(shape -> shape.getValue().contains(TableScalingShapes.BIDS)).map(Map.Entry::getKey)
            .collect(Collectors.toUnmodifiableSet());

    private ScalingShapes() {
    }

    @SafeVarargs
    private static Map<String, String> ordered(Map.Entry<String, String>... shapes) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Map.Entry<String, String> shape : shapes) {
            byName.put(shape.getKey(), shape.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }
}

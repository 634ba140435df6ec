package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the records of a sink topic into Flink's changelog: each row with its operation, in order,
 * in the shape Flink's {@code collect()} prints ({@code {"op":"+I", ...columns}}), so that expected
 * changelogs from the Flink oracle ({@code --changelog raw --no-sort}) compare directly.
 *
 * <p>What a record means depends on the sink's changelog semantics. A stream sink is append-only:
 * every record is an insert ({@code +I}), whatever its key. A table sink is an upsert stream keyed
 * by the table's key: the first value of a key is {@code +I}; a later value retracts the previous
 * one ({@code -U} with the previous row) and inserts itself ({@code +U}); a tombstone deletes the
 * previous row ({@code -D} with that row). Tracking the previous row per key is what Flink's
 * ChangelogNormalize does to turn an upsert source into retractions. A tombstone for a key that
 * holds no row retracts nothing, and prints nothing.
 *
 * <p>{@code replay --changelog} and {@code run --changelog} both print through this class, so the
 * two commands print the same changelog for the same records. It keeps one row per key of a table
 * result, as Flink's SQL client does in its changelog view.
 */
public final class Changelog {
    public static final String OP = "op";

    private final boolean upsert;
    private final Map<Object, ObjectNode> current = new HashMap<>();
    private final List<ObjectNode> out = new ArrayList<>();

    /** {@code upsert}: the sink is a table (records are upserts and tombstones by key). */
    public Changelog(boolean upsert) {
        this.upsert = upsert;
    }

    /** One record of the sink topic: its key (any value with equals) and row, null for a tombstone. */
    public void add(Object key, ObjectNode row) {
        if (!upsert) {
            if (row != null) {
                out.add(withOp("+I", row));
            }
            return;
        }
        if (row == null) {
            ObjectNode previous = current.remove(key);
            if (previous != null) {
                out.add(withOp("-D", previous));
            }
            return;
        }
        ObjectNode previous = current.put(key, row);
        if (previous == null) {
            out.add(withOp("+I", row));
        } else {
            out.add(withOp("-U", previous));
            out.add(withOp("+U", row));
        }
    }

    /** Every change so far, in order. */
    public List<ObjectNode> rows() {
        return out;
    }

    /** The changes since the last call, in order, for a printer that follows a running topology. */
    public List<ObjectNode> drain() {
        List<ObjectNode> changes = new ArrayList<>(out);
        out.clear();
        return changes;
    }

    /** The row with its operation as the first field. */
    public static ObjectNode withOp(String op, ObjectNode row) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(OP, op);
        node.setAll(row);
        return node;
    }
}

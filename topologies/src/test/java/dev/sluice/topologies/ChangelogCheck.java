package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a Sluice changelog against Flink's when the two may differ in transient rows. Flink's
 * aggregate sends an update as two records (-U, then +U), and a ranking over it retracts the row
 * (the rows below move up) before inserting it again; Sluice's table carries old and new together,
 * so the ranking replaces the row in one step. Both end in the same rows, and Sluice never shows a
 * row Flink never showed. What is checked:
 * <ol>
 *   <li>well formed: every {@code -U}/{@code -D} retracts a row currently present, and every
 *       {@code +U} directly follows a {@code -U};</li>
 *   <li>the rows present at the end are the expected final rows;</li>
 *   <li>every row Sluice inserts ({@code +I}/{@code +U}) is a row Flink inserted at some point.</li>
 * </ol>
 */
final class ChangelogCheck {
    private ChangelogCheck() {
    }

    /** Empty when Sluice's changelog passes; otherwise what is wrong. */
    static String against(List<ObjectNode> flink, List<ObjectNode> sluice, List<ObjectNode> expectedFinal) {
        StringBuilder problems = new StringBuilder();
        List<ObjectNode> present = new ArrayList<>();
        String previousOp = "";
        for (int i = 0; i < sluice.size(); i++) {
            ObjectNode change = sluice.get(i);
            String op = change.path("op").asText();
            ObjectNode row = withoutOp(change);
            switch (op) {
                case "+I", "+U" -> {
                    if (op.equals("+U") && !previousOp.equals("-U")) {
                        problems.append("  change ").append(i + 1).append(": +U without a -U before it: ").append(change).append('\n');
                    }
                    if (flink.stream().noneMatch(f -> inserts(f) && RowMatcher.rowEquals(withoutOp(f), row))) {
                        problems.append("  change ").append(i + 1).append(": a row Flink never showed: ").append(change).append('\n');
                    }
                    present.add(row);
                }
                case "-U", "-D" -> {
                    if (!remove(present, row)) {
                        problems.append("  change ").append(i + 1).append(": retracts a row not present: ").append(change).append('\n');
                    }
                }
                default -> problems.append("  change ").append(i + 1).append(": no op: ").append(change).append('\n');
            }
            previousOp = op;
        }
        String finalDiff = RowMatcher.diff(expectedFinal, present);
        if (!finalDiff.isEmpty()) {
            problems.append("  the changelog does not end in the expected rows: ").append(finalDiff);
        }
        return problems.toString();
    }

    private static boolean inserts(ObjectNode change) {
        String op = change.path("op").asText();
        return op.equals("+I") || op.equals("+U");
    }

    private static ObjectNode withoutOp(ObjectNode change) {
        ObjectNode row = change.deepCopy();
        row.remove("op");
        return row;
    }

    private static boolean remove(List<ObjectNode> rows, ObjectNode row) {
        for (int i = 0; i < rows.size(); i++) {
            if (RowMatcher.rowEquals(row, rows.get(i))) {
                rows.remove(i);
                return true;
            }
        }
        return false;
    }
}

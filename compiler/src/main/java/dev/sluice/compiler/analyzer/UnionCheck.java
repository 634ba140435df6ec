package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.row.Schema;

/** UNION ALL inputs must line up column by column; the error names the first that does not. */
final class UnionCheck {
    private UnionCheck() {
    }

    static void compatible(Schema first, Schema other, NodeLocation at, int inputNumber) {
        if (first.size() != other.size()) {
            throw new SqlException(at, "UNION ALL input " + inputNumber + " has " + other.size()
                    + " columns, the first input has " + first.size());
        }
        for (int i = 0; i < first.size(); i++) {
            if (!first.type(i).equals(other.type(i)) && other.type(i) != dev.sluice.serdes.row.ScalarType.NULL) {
                throw new SqlException(at, "UNION ALL column " + (i + 1) + " (`" + first.column(i).name()
                        + "`) is " + first.type(i).sql() + " in the first input but " + other.type(i).sql()
                        + " in input " + inputNumber, "CAST one side so the types match");
            }
        }
    }
}

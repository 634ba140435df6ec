package dev.sluice.runtime.expr;

import dev.sluice.serdes.row.Row;

/** A compiled expression: evaluates against one input row; no names are looked up per record. */
@FunctionalInterface
public interface Evaluator {
    Object evaluate(Row row);
}

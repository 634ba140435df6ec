package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

/** Keeps rows for which {@code predicate} is TRUE (NULL and FALSE drop, as in SQL WHERE). */
public record FilterStep(String name, Step input, Expr predicate) implements Step {
    @Override
    public Schema schema() {
        return input.schema();
    }

    @Override
    public Schema keySchema() {
        return input.keySchema();
    }

    @Override
    public Shape shape() {
        return input.shape();
    }
}

package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * Table functions in a SELECT (ksqlDB's {@code EXPLODE}, {@code CUBE_EXPLODE}): one input row
 * becomes as many output rows as its longest function result, zero for an empty or NULL one. The
 * output value is the input columns, then one column per call. Several calls are zipped, as ksqlDB
 * does (its KLIP-9): row i takes the i-th element of each result, NULL where a result is shorter.
 * Stateless; a stream in, a stream out, keyed as the input.
 */
public record ExplodeStep(String name, Step input, List<TableFunctionCall> calls, Schema schema) implements Step {
    public ExplodeStep {
        calls = List.copyOf(calls);
    }

    /** One call: the function and its argument, an expression over the input row. */
    public record TableFunctionCall(TableFunction function, Expr argument) {
        @Override
        public String toString() {
            return function + "(" + argument + ")";
        }
    }

    /** The table functions Sluice knows; each maps one value to a list of values. */
    public enum TableFunction {
        /** An array's elements, in order. */
        EXPLODE,
        /** Every combination of an array's elements with some replaced by NULL (2^n rows, fewer with NULLs). */
        CUBE_EXPLODE
    }

    @Override
    public Schema keySchema() {
        return input.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new ExplodeStep(name, Inputs.one(this, inputs), calls, schema);
    }

    @Override
    public Step withName(String name) {
        return new ExplodeStep(name, input, calls, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitExplode(this);
    }
}

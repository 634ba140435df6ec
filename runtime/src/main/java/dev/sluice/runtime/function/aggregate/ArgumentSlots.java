package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;

import java.util.List;

/**
 * Where each argument of an aggregate call comes from at run time. Constant arguments are not
 * passed to {@code add} (see {@link dev.sluice.runtime.function.AggregateFunction}), so
 * {@code COUNT(1)} or {@code SUM(2)} would otherwise shift every later argument; this puts the
 * constants back so that accumulators can read "argument i" without caring.
 */
final class ArgumentSlots {
    private final int[] inputPositions;
    private final Object[] constants;

    private ArgumentSlots(int[] inputPositions, Object[] constants) {
        this.inputPositions = inputPositions;
        this.constants = constants;
    }

    static ArgumentSlots of(List<Expr> arguments) {
        int[] positions = new int[arguments.size()];
        Object[] constants = new Object[arguments.size()];
        int next = 0;
        for (int i = 0; i < positions.length; i++) {
            Expr e = arguments.get(i);
            if (Expr.isConstant(e)) {
                positions[i] = -1;
                constants[i] = ((Expr.Literal) e).value();
            } else {
                positions[i] = next++;
            }
        }
        return new ArgumentSlots(positions, constants);
    }

    int size() {
        return inputPositions.length;
    }

    /** The value of argument {@code i} given the non-constant values passed to {@code add}. */
    Object get(Object[] inputs, int i) {
        int p = inputPositions[i];
        return p < 0 ? constants[i] : inputs[p];
    }
}

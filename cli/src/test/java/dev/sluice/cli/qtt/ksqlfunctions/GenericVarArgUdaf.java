package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * GENERIC_VAR_ARG(A, B, C...) of ksqlDB's functional tests: the list of the first arguments of the
 * rows whose arguments are all non-NULL. Each type variable takes any SQL type (every C argument
 * the same one); the result is an ARRAY of the first argument's type (DECIMAL, MAP...).
 */
public class GenericVarArgUdaf<A, B, C> {
    /** The kept first arguments (JSON in the store; the result is converted back to ARRAY of A's type). */
    public static class Kept {
        public List<Object> values = new ArrayList<>();
    }

    public Kept createAccumulator() {
        return new Kept();
    }

    @SafeVarargs
    public final void accumulate(Kept kept, A first, B second, C... rest) {
        if (first == null || second == null) {
            return;
        }
        for (C c : rest) {
            if (c == null) {
                return;
            }
        }
        kept.values.add(first);
    }

    public void merge(Kept kept, Kept other) {
        kept.values.addAll(other.values);
    }

    @SuppressWarnings("unchecked")
    public List<A> getValue(Kept kept) {
        return (List<A>) kept.values;
    }
}

package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * OBJ_COL_ARG(INT, ANY...) of ksqlDB's functional tests: the list of the first arguments of the
 * rows whose arguments, of any types (STRUCT, MAP, ARRAY, DECIMAL...), are all non-NULL.
 */
public class ObjVarColArgUdaf {
    public static class Kept {
        public List<Integer> values = new ArrayList<>();
    }

    public Kept createAccumulator() {
        return new Kept();
    }

    public void accumulate(Kept kept, Integer first, Object... rest) {
        if (first == null) {
            return;
        }
        for (Object o : rest) {
            if (o == null) {
                return;
            }
        }
        kept.values.add(first);
    }

    public void merge(Kept kept, Kept other) {
        kept.values.addAll(other.values);
    }

    public List<Integer> getValue(Kept kept) {
        return kept.values;
    }
}

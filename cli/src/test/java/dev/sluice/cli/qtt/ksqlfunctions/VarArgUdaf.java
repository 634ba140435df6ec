package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * VAR_ARG(BIGINT, STRING...) of ksqlDB's functional tests: the running sum of the first column
 * (NULL counts 0) and the lengths of the non-NULL strings after it.
 */
public class VarArgUdaf {
    /** The running total, kept as JSON in the state store. */
    public static class Total {
        public long sum;
    }

    public Total createAccumulator() {
        return new Total();
    }

    public void accumulate(Total total, Long first, String... rest) {
        total.sum += (first == null ? 0 : first) + Lengths.of(rest);
    }

    public void merge(Total total, Total other) {
        total.sum += other.sum;
    }

    public Long getValue(Total total) {
        return total.sum;
    }
}

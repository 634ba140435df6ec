package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * MID_VAR_ARG(BIGINT, STRING..., INT, INT) of ksqlDB's functional tests: VAR_ARG's sum plus the two
 * constant initial arguments, which follow the variadic columns.
 */
public class MiddleVarArgUdaf {
    /** The running total and the constant the result adds. */
    public static class Total {
        public long sum;
        public long constant;
    }

    public Total createAccumulator(int first, int second) {
        Total total = new Total();
        total.constant = (long) first + second;
        return total;
    }

    public void accumulate(Total total, Long first, String... rest) {
        total.sum += (first == null ? 0 : first) + Lengths.of(rest);
    }

    public void merge(Total total, Total other) {
        total.sum += other.sum;
    }

    public Long getValue(Total total) {
        return total.sum + total.constant;
    }
}

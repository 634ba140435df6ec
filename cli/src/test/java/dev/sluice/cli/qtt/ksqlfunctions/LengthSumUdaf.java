package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * The MULTI_ARG family of ksqlDB's functional tests (MULTI_ARG, FOUR_ARG, FIVE_ARG): a sum that starts
 * at the first initial argument plus the lengths of the other ones and merges by adding. Each member
 * declares only its {@code accumulate}, so each takes only its own columns (the aggregate API finds the
 * rest among the public methods a class inherits).
 */
public abstract class LengthSumUdaf {
    public static class Total {
        public long sum;
    }

    public Total createAccumulator(int start, String... lengths) {
        Total total = new Total();
        total.sum = start + Lengths.of(lengths);
        return total;
    }

    public void merge(Total total, Total other) {
        total.sum += other.sum;
    }

    public Long getValue(Total total) {
        return total.sum;
    }

    /** A row's number, 0 when NULL. */
    static long number(Long number) {
        return number == null ? 0 : number;
    }
}

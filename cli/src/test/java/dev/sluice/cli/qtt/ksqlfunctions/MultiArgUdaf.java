package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * MULTI_ARG(BIGINT, STRING, INT, STRING...) of ksqlDB's functional tests: starts at the first
 * initial argument plus the lengths of the other ones, then adds each row's number (NULL counts 0)
 * and string length.
 */
public class MultiArgUdaf {
    public static class Total {
        public long sum;
    }

    public Total createAccumulator(int start, String... lengths) {
        Total total = new Total();
        total.sum = start + Lengths.of(lengths);
        return total;
    }

    public void accumulate(Total total, Long number, String text) {
        total.sum += (number == null ? 0 : number) + Lengths.of(text);
    }

    public void merge(Total total, Total other) {
        total.sum += other.sum;
    }

    public Long getValue(Total total) {
        return total.sum;
    }
}

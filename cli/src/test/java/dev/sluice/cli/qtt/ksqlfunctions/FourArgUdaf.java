package dev.sluice.cli.qtt.ksqlfunctions;

/** FOUR_ARG(BIGINT, STRING, STRING, STRING, INT, STRING...): MULTI_ARG with three string columns. */
public class FourArgUdaf {
    public Total createAccumulator(int start, String... lengths) {
        Total total = new Total();
        total.sum = start + Lengths.of(lengths);
        return total;
    }

    public void accumulate(Total total, Long number, String a, String b, String c) {
        total.sum += (number == null ? 0 : number) + Lengths.of(a, b, c);
    }

    public void merge(Total total, Total other) {
        total.sum += other.sum;
    }

    public Long getValue(Total total) {
        return total.sum;
    }

    public static class Total {
        public long sum;
    }
}

package dev.sluice.cli.qtt.ksqlfunctions;

/** FIVE_ARG(BIGINT, STRING, STRING, STRING, INT, INT, STRING...): FOUR_ARG plus an INT column (NULL counts 0). */
public class FiveArgUdaf {
    public Total createAccumulator(int start, String... lengths) {
        Total total = new Total();
        total.sum = start + Lengths.of(lengths);
        return total;
    }

    public void accumulate(Total total, Long number, String a, String b, String c, Integer extra) {
        total.sum += (number == null ? 0 : number) + Lengths.of(a, b, c) + (extra == null ? 0 : extra);
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

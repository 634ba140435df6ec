package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * TEST_UDAF of ksqlDB's functional tests: several aggregates under one name, each overload with its
 * own accumulator class (named by accumulate's first parameter) and its own getValue:
 * <ul>
 *   <li>a sum of INTEGER or BIGINT values as BIGINT, retractable (so it aggregates tables);</li>
 *   <li>a sum of DOUBLE values;</li>
 *   <li>a field-wise sum of {@code STRUCT<A INT, B INT>} values, a STRUCT of the same shape;</li>
 *   <li>the summed lengths of strings, starting at the length of a constant initial string.</li>
 * </ul>
 * NULL values are skipped.
 */
public class TestUdaf {
    public static class Sum {
        public long total;
    }

    public static class DoubleSum {
        public double total;
    }

    public static class PairSum {
        public int a;
        public int b;
    }

    public static class LengthSum {
        public long total;
    }

    /** The STRUCT<A INT, B INT> taken and given. */
    public record Pair(Integer A, Integer B) {
    }

    public Sum createAccumulator() {
        return new Sum();
    }

    public LengthSum createAccumulator(String initial) {
        LengthSum sum = new LengthSum();
        sum.total = initial.length();
        return sum;
    }

    public void accumulate(Sum sum, Long value) {
        sum.total += value == null ? 0 : value;
    }

    public void retract(Sum sum, Long value) {
        sum.total -= value == null ? 0 : value;
    }

    public void accumulate(Sum sum, Integer value) {
        sum.total += value == null ? 0 : value;
    }

    public void retract(Sum sum, Integer value) {
        sum.total -= value == null ? 0 : value;
    }

    public void accumulate(DoubleSum sum, Double value) {
        sum.total += value == null ? 0 : value;
    }

    public void accumulate(PairSum sum, Pair value) {
        if (value != null) {
            sum.a += value.A() == null ? 0 : value.A();
            sum.b += value.B() == null ? 0 : value.B();
        }
    }

    public void accumulate(LengthSum sum, String value) {
        sum.total += value == null ? 0 : value.length();
    }

    public void merge(Sum sum, Sum other) {
        sum.total += other.total;
    }

    public void merge(DoubleSum sum, DoubleSum other) {
        sum.total += other.total;
    }

    public void merge(PairSum sum, PairSum other) {
        sum.a += other.a;
        sum.b += other.b;
    }

    public void merge(LengthSum sum, LengthSum other) {
        sum.total += other.total;
    }

    public Long getValue(Sum sum) {
        return sum.total;
    }

    public Double getValue(DoubleSum sum) {
        return sum.total;
    }

    public Pair getValue(PairSum sum) {
        return new Pair(sum.a, sum.b);
    }

    public Long getValue(LengthSum sum) {
        return sum.total;
    }
}

package dev.sluice.compiler.aggregate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The model {@link SessionDistinctRoundingScenarioTest} checks Sluice against, beside the sessions
 * of {@link SessionModel}: every function computed from scratch over a session's distinct values
 * in first-arrival order, by the recurrence Sluice's accumulator uses (Welford for STDDEV/VAR_*,
 * ksqlDB's for STDDEV_SAMPLE, running sums for CORRELATION), so that a session no merge made must
 * match bit for bit; KLL's rank rule over the distinct values for APPROX_PERCENTILE.
 */
final class SessionDistinctRoundingModel {
    /** A row of the input: any value may be NULL. */
    record In(Long v, Double d, Double e) {
    }

    /** The distinct values of {@code f} over the rows {@code keep} keeps, NULL skipped, in first-arrival order. */
    private static <T> List<T> distinct(List<In> rows, Predicate<In> keep, Function<In, T> f) {
        return rows.stream().filter(keep).map(f).filter(Objects::nonNull).distinct().toList();
    }

    /** STDDEV/VAR as VarianceFunction computes them: Welford's update, one value at a time. */
    static Double welford(List<Double> values, boolean root, boolean sample) {
        long count = 0;
        double mean = 0;
        double m2 = 0;
        for (double x : values) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
        }
        long divisor = sample ? count - 1 : count;
        if (count == 0 || divisor == 0) {
            return null;
        }
        double variance = Math.max(0, m2 / divisor);
        return root ? Math.sqrt(variance) : variance;
    }

    /** ksqlDB's STDDEV_SAMPLE recurrence (count, sum, squared deviations); 0.0 below two values. */
    static double ksqlStddevSample(List<Double> values) {
        long count = 0;
        double sum = 0;
        double m2 = 0;
        for (double x : values) {
            long n = count + 1;
            if (n > 1) {
                double delta = x * n - (sum + x);
                m2 += delta * delta / (n * (n - 1));
            }
            count = n;
            sum += x;
        }
        return count < 2 ? 0.0 : Math.sqrt(m2 / (count - 1));
    }

    /** ksqlDB's CORRELATION from the single-pass sums; NaN without rows or spread. */
    static double correlation(List<double[]> pairs) {
        long count = 0;
        double x = 0;
        double y = 0;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (double[] p : pairs) {
            x += p[0];
            y += p[1];
            xx += p[0] * p[0];
            yy += p[1] * p[1];
            xy += p[0] * p[1];
            count++;
        }
        return (count * xy - x * y) / Math.sqrt((count * xx - x * x) * (count * yy - y * y));
    }

    /** KLL's INCLUSIVE rank rule over every value: the smallest v with at least a fraction p at or below it. */
    static Double kll(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        long n = sorted.size();
        long k = Math.max(1, (long) Math.ceil(p * n - 1e-9));
        return sorted.get((int) (Math.min(k, n) - 1));
    }

    /**
     * The row Sluice should give for a session, by column; floating-point results as {@link Num},
     * exact when no merge made the session (or when the function is computed exactly).
     */
    static Map<String, Object> expected(SessionModel.Session<In> s) {
        List<In> rows = s.rows;
        boolean exact = !s.merged;
        Map<String, Object> out = new TreeMap<>();
        List<Double> es = distinct(rows, r -> true, In::e);
        out.put("sp", Num.of(welford(es, true, false), exact));
        out.put("ssf", Num.of(welford(distinct(rows, r -> r.v() != null && r.v() > 3, In::e), true, true), exact));
        out.put("vp", Num.of(welford(es, false, false), exact));
        out.put("vs", Num.of(welford(es, false, true), exact));
        out.put("ks", Num.of(ksqlStddevSample(es), exact));
        // DISTINCT over the pair; d is a multiple of 1/2 and v an integer, so the sums are exact
        List<double[]> pairs = rows.stream().filter(r -> r.d() != null && r.v() != null)
                .map(r -> List.of(r.d(), r.v().doubleValue())).distinct()
                .map(p -> new double[] {p.get(0), p.get(1)}).toList();
        out.put("corr", Num.of(correlation(pairs), true));
        out.put("acd", (long) distinct(rows, r -> true, In::v).size());
        out.put("ap", Num.of(kll(es, 0.5), true));
        out.put("apf", Num.of(kll(distinct(rows, r -> r.d() != null && r.d() > 1, In::v).stream()
                .map(Long::doubleValue).toList(), 0.9), true));
        out.put("kinds", (long) distinct(rows, r -> true, In::v).size());
        out.put("n", (long) rows.size());
        return out;
    }

    /**
     * A DOUBLE result: equal to another when both are NULL or NaN, bit for bit when either side is
     * {@code exact}, else within {@link #ULPS} units in the last place of the larger. The largest
     * difference seen is kept in {@link #worstUlps} for the test's report.
     */
    record Num(Double value, boolean exact) {
        static final double ULPS = 8;
        static double worstUlps;

        static Num of(Double value, boolean exact) {
            return new Num(value, exact);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Num other)) {
                return false;
            }
            if (value == null || other.value == null) {
                return value == other.value;
            }
            if (value.isNaN() || other.value.isNaN()) {
                return value.isNaN() && other.value.isNaN();
            }
            if (exact || other.exact) {
                return value.equals(other.value);
            }
            double ulps = Math.abs(value - other.value) / Math.ulp(Math.max(Math.abs(value), Math.abs(other.value)));
            worstUlps = Math.max(worstUlps, ulps);
            return ulps <= ULPS;
        }

        @Override
        public int hashCode() {
            return 0; // equal values within the tolerance have different bits
        }

        @Override
        public String toString() {
            return value + (exact ? "" : "~");
        }
    }
}

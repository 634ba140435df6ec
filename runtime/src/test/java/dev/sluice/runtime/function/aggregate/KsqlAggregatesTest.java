package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.in;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ksqlDB's ATTR, CORRELATION, STDDEV_SAMPLE and STDDEV_SAMP, with the results of ksqlDB's QTT files. */
class KsqlAggregatesTest {

    @Test
    void sumListAddsTheElementsOfEveryRowsArray() {
        // sum.json "sum list of ints into a single int": [1,1], [2,2], [100,100], [100,100,null]
        var ints = AggregateHarness.of("SUM_LIST", col(0, new dev.sluice.serdes.row.ArrayType(ScalarType.INTEGER)));
        var inputs = values(List.of(1, 1), List.of(2, 2), null, List.of(100, 100), java.util.Arrays.asList(100, 100, null));
        assertEquals(406, ints.aggregate(inputs));
        assertEquals(ScalarType.INTEGER, ints.returnType);
        assertEquals(0, ints.aggregate(values()));
        ints.assertMergeEqualsSequential(inputs);
        ints.assertRetractionUndoesAdd(inputs);
        ints.assertAddAfterReadContinues(inputs);
        var doubles = AggregateHarness.of("SUM_LIST", col(0, new dev.sluice.serdes.row.ArrayType(ScalarType.DOUBLE)));
        assertEquals(3.5, doubles.aggregate(values(List.of(1.0, 0.5), List.of(2.0))));
        org.junit.jupiter.api.Assertions.assertThrows(dev.sluice.runtime.function.FunctionException.class,
                () -> AggregateHarness.of("SUM_LIST", col(0, ScalarType.INTEGER)));
    }

    @Test
    void attrIsTheValueEveryRowAgreesOnElseNull() {
        var attr = AggregateHarness.of("ATTR", col(0, ScalarType.VARCHAR));
        assertEquals("a", attr.aggregate(values("a", "a")));
        assertNull(attr.aggregate(values("a", "b")));
        assertNull(attr.aggregate(values("a", null)), "NULL is a value ATTR must agree on too");
        assertEquals(ScalarType.VARCHAR, attr.returnType);
        attr.assertRetractionUndoesAdd(values("a", "b", "a"));
        attr.assertMergeEqualsSequential(values("a", "a", "b"));
    }

    @Test
    void correlationIsPearsonsCoefficientFromTheSinglePassSums() {
        var corr = AggregateHarness.of("CORRELATION", col(0, ScalarType.DOUBLE), col(1, ScalarType.DOUBLE));
        List<AggregateHarness.Input> rows = List.of(in(0, 1.0, 2.0), in(1, 2.0, 4.0), in(2, 3.0, 6.5));
        double r = (Double) corr.aggregate(rows);
        assertTrue(r > 0.99 && r < 1.0, "strongly but not perfectly correlated: " + r);
        assertEquals(-1.0, (Double) corr.aggregate(List.of(in(0, 1.0, 3.0), in(1, 2.0, 2.0), in(2, 3.0, 1.0))), 1e-12);
        assertEquals(r, corr.aggregate(List.of(in(0, 1.0, 2.0), in(1, null, 9.0), in(2, 2.0, 4.0), in(3, 3.0, 6.5))),
                "a row with a NULL is skipped");
        assertTrue(((Double) corr.aggregate(List.of(in(0, 1.0, 2.0)))).isNaN(), "one row: 0/0, as in ksqlDB");
        var a = corr.accumulate(List.of(in(0, 1.0, 2.0), in(1, 2.0, 4.0), in(2, 3.0, 6.5), in(3, 4.0, 1.0)));
        a.retract(new Object[]{4.0, 1.0}, 3);
        assertEquals(r, (Double) a.result(), 1e-12, "retracting a row undoes adding it");
        // rounded sums: without the reset, what is left of 0.1·0.7 ... after the subtractions is a
        // spread of rounding errors, and the one row left would show as a correlation
        var one = corr.accumulate(List.of(in(0, 0.1, 0.7), in(1, 0.3, 0.2), in(2, 1.1, 13.37)));
        one.retract(new Object[]{1.1, 13.37}, 2);
        one.retract(new Object[]{0.3, 0.2}, 1);
        assertTrue(((Double) one.result()).isNaN(), "retracting down to one row: NaN, as the row alone gives");
    }

    @Test
    void stddevSampleMatchesKsqlDbToTheLastDigitAndIsZeroBelowTwoValues() {
        var sd = AggregateHarness.of("STDDEV_SAMPLE", col(0, ScalarType.INTEGER));
        // standarddeviation.json, "stddev_sample int", key 0: 0, 10, 7, 6
        assertEquals(0.0, sd.aggregate(values(0)));
        assertEquals(7.0710678118654755, sd.aggregate(values(0, 10)));
        assertEquals(5.131601439446884, sd.aggregate(values(0, 10, 7)));
        assertEquals(4.193248541803041, sd.aggregate(values(0, 10, 7, 6)));
        assertEquals(0.0, sd.aggregate(values()));
        assertEquals(sd.aggregate(values(1, 2, 4)), sd.aggregate(values(1, null, 2, 4)));
        sd.assertRetractionUndoesAdd(values(3, 9, 27, 81));
        sd.assertMergeEqualsSequential(values(3, 9, 27));
    }

    @Test
    void ksqlDbsSumAndAvgAreZeroWithoutANonNullValueWhereFlinksAreNull() {
        for (var type : List.<dev.sluice.serdes.row.SqlType>of(ScalarType.INTEGER, ScalarType.BIGINT, ScalarType.DOUBLE,
                new dev.sluice.serdes.row.DecimalType(4, 2))) {
            var ksqlSum = ksql("SUM", type);
            var flinkSum = AggregateHarness.of("SUM", col(0, type));
            Object zero = type == ScalarType.DOUBLE ? (Object) 0.0
                    : type instanceof dev.sluice.serdes.row.DecimalType ? new java.math.BigDecimal("0.00") : (Object) 0L;
            assertEquals(zero, ksqlSum.aggregate(values()), "no row: " + type);
            assertEquals(zero, ksqlSum.aggregate(values((Object) null)), "only NULLs: " + type);
            assertNull(flinkSum.aggregate(values((Object) null)), "Flink's SUM of only NULLs: " + type);
            ksqlSum.assertRetractionUndoesAdd(values(type == ScalarType.DOUBLE ? 1.5 : one(type), null));
            ksqlSum.assertMergeEqualsSequential(values(one(type), null, one(type)));
        }
        var ksqlAvg = ksql("AVG", ScalarType.INTEGER);
        assertEquals(0.0, ksqlAvg.aggregate(values((Object) null)));
        assertEquals(2.0, ksqlAvg.aggregate(values(1, null, 3)));
        assertNull(AggregateHarness.of("AVG", col(0, ScalarType.INTEGER)).aggregate(values((Object) null)));
        // emptied again by retraction: 0 again (ksqlDB's SUM undoes down to 0)
        var a = ksql("SUM", ScalarType.INTEGER).accumulate(values(5));
        a.retract(new Object[]{5}, 1);
        assertEquals(0L, a.result());
    }

    @Test
    void ksqlDbsStddevSampIsTheSampleVarianceAndZeroBelowTwoValues() {
        var ksqlSd = ksql("STDDEV_SAMP", ScalarType.INTEGER);
        // standarddeviation.json, "stddev_samp int", key 0: 0, 10, 7, 6 (ksqlDB's map() takes no root)
        assertEquals(0.0, ksqlSd.aggregate(values()));
        assertEquals(0.0, ksqlSd.aggregate(values(0)));
        assertEquals(50.0, ksqlSd.aggregate(values(0, 10)));
        assertEquals(26.333333333333332, ksqlSd.aggregate(values(0, 10, 7)));
        assertEquals(17.583333333333332, ksqlSd.aggregate(values(0, 10, 7, 6)));
        assertNull(AggregateHarness.of("STDDEV_SAMP", col(0, ScalarType.INTEGER)).aggregate(values(0)),
                "Flink's STDDEV_SAMP of one value");
        ksqlSd.assertRetractionUndoesAdd(values(3, 9, 27, 81));
        ksqlSd.assertMergeEqualsSequential(values(3, 9, 27));
    }

    @Test
    void ksqlDbsStddevSampFollowsKsqlDbsRecurrenceToTheLastDigit() {
        // standarddeviation.json "stddev_samp double map" and "stddev_samp double", key 100; Welford's
        // update gives 2.333333333333334 and 4.253529586234291E25 here
        var map = ksql("STDDEV_SAMP", ScalarType.DOUBLE);
        assertEquals(2.333333333333333, map.aggregate(values(10.0, 12.0, 13.0)));
        assertEquals(4.253529586234292E25, map.aggregate(values(9223372036854.775, 300.8)));
        // "stddev_samp long", key 0: 2147483648, 100, -2
        var big = ksql("STDDEV_SAMP", ScalarType.BIGINT);
        assertEquals(1.5372286026580004E18, big.aggregate(values(2147483648L, 100L, -2L, null)));
        big.assertAddAfterReadContinues(values(1L, 5L, 9L));
    }

    @Test
    void ksqlDbsStddevSampReadsTheWelfordStateStoredBeforeIt() throws java.io.IOException {
        var sd = ksql("STDDEV_SAMP", ScalarType.INTEGER);
        // the older form: count, mean, m2 of 0, 10, 7 (mean 17/3, m2 52.666...)
        var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(bytes);
        StateIo.writeVarLong(out, 3);
        out.writeDouble(17.0 / 3);
        out.writeDouble(2 * 26.333333333333332);
        var older = sd.factory.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(26.333333333333332, (Double) older.result(), 1e-12);
        older.add(new Object[]{6}, 1);
        assertEquals(17.583333333333332, (Double) older.result(), 1e-12);
        // an empty older state
        bytes.reset();
        StateIo.writeVarLong(out, 0);
        var empty = sd.factory.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(0.0, empty.result());
    }

    private static Object one(dev.sluice.serdes.row.SqlType type) {
        return type == ScalarType.INTEGER ? (Object) 1 : type == ScalarType.BIGINT ? (Object) 1L
                : type == ScalarType.DOUBLE ? (Object) 1.0 : new java.math.BigDecimal("1.00");
    }

    private static AggregateHarness ksql(String name, dev.sluice.serdes.row.SqlType type) {
        var f = KsqlAggregateMeanings.of(name).orElseThrow();
        List<dev.sluice.runtime.expr.Expr> args = List.of(col(0, type));
        var returnType = f.returnType(args);
        return new AggregateHarness(f, args, returnType, f.implement(args, returnType, List.of()));
    }
}

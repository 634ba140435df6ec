package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.lit;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** COUNT, SUM, AVG, MIN, MAX. */
class BasicAggregatesTest {
    private static final DecimalType DEC_10_2 = new DecimalType(10, 2);

    @Test
    void countStarCountsRowsIncludingNulls() {
        AggregateHarness count = AggregateHarness.of("COUNT");
        assertEquals(ScalarType.BIGINT, count.returnType);
        // COUNT(*) receives no arguments
        List<AggregateHarness.Input> rows = List.of(AggregateHarness.in(1), AggregateHarness.in(2), AggregateHarness.in(3));
        assertEquals(3L, count.aggregate(rows));
        assertEquals(0L, count.aggregate(List.of()));
    }

    @Test
    void countColumnSkipsNullsAndIsZeroForAllNull() {
        AggregateHarness count = AggregateHarness.of("count", col(0, ScalarType.VARCHAR));
        assertEquals(2L, count.aggregate(values("a", null, "b")));
        assertEquals(0L, count.aggregate(values(null, null)));
    }

    @Test
    void countOfConstantCountsRows() {
        // COUNT(1): the constant is not passed to add, the accumulator sees empty argument arrays
        AggregateHarness count = AggregateHarness.of("COUNT", lit(1, ScalarType.INTEGER));
        assertEquals(2L, count.aggregate(List.of(AggregateHarness.in(0), AggregateHarness.in(1))));
    }

    @Test
    void sumOfIntegersIsBigintAndNullWhenAllNull() {
        AggregateHarness sum = AggregateHarness.of("SUM", col(0, ScalarType.INTEGER));
        assertEquals(ScalarType.BIGINT, sum.returnType);
        assertEquals(6L, sum.aggregate(values(1, null, 2, 3)));
        assertNull(sum.aggregate(values(null, null)));
        assertNull(sum.aggregate(List.of()));
    }

    @Test
    void sumOfDoublesIsDouble() {
        AggregateHarness sum = AggregateHarness.of("SUM", col(0, ScalarType.DOUBLE));
        assertEquals(ScalarType.DOUBLE, sum.returnType);
        assertEquals(4.0, sum.aggregate(values(1.5, 2.5, null)));
    }

    @Test
    void sumOfDecimalsKeepsScaleWithMaximumPrecision() {
        AggregateHarness sum = AggregateHarness.of("SUM", col(0, DEC_10_2));
        assertEquals(new DecimalType(38, 2), sum.returnType);
        assertEquals(new BigDecimal("3.35"), sum.aggregate(values(new BigDecimal("1.10"), new BigDecimal("2.25"))));
    }

    @Test
    void sumRetractedBackToNoInputIsNullNotZero() {
        AggregateHarness sum = AggregateHarness.of("SUM", col(0, ScalarType.BIGINT));
        var acc = sum.accumulate(values(5L, -5L));
        assertEquals(0L, acc.result());
        acc.retract(new Object[]{5L}, 0);
        acc.retract(new Object[]{-5L}, 0);
        assertNull(acc.result());
    }

    @Test
    void sumRejectsVarcharNamingFunctionAndType() {
        var e = assertThrows(FunctionException.class,
                () -> AggregateHarness.of("SUM", col(0, ScalarType.VARCHAR)));
        assertEquals("SUM expects a numeric argument, got VARCHAR", e.getMessage());
    }

    @Test
    void sumRejectsTwoArguments() {
        var e = assertThrows(FunctionException.class,
                () -> AggregateHarness.of("SUM", col(0, ScalarType.BIGINT), col(1, ScalarType.BIGINT)));
        assertEquals("SUM expects 1 argument, got 2 (BIGINT, BIGINT)", e.getMessage());
    }

    @Test
    void avgIsAlwaysDoubleAndDoesNotTruncate() {
        AggregateHarness avg = AggregateHarness.of("AVG", col(0, ScalarType.BIGINT));
        assertEquals(ScalarType.DOUBLE, avg.returnType);
        assertEquals(-1.5, avg.aggregate(values(-1L, -2L, null)));
        assertNull(avg.aggregate(values((Object) null)));
    }

    @Test
    void avgOfDecimal() {
        AggregateHarness avg = AggregateHarness.of("AVG", col(0, DEC_10_2));
        assertEquals(0.5, avg.aggregate(values(new BigDecimal("0.25"), new BigDecimal("0.75"))));
    }

    @Test
    void minAndMaxOfNumbersStringsDatesAndBooleans() {
        assertEquals(-3L, AggregateHarness.of("MIN", col(0, ScalarType.BIGINT)).aggregate(values(5L, null, -3L, 7L)));
        assertEquals(7L, AggregateHarness.of("MAX", col(0, ScalarType.BIGINT)).aggregate(values(5L, null, -3L, 7L)));
        assertEquals("apple", AggregateHarness.of("MIN", col(0, ScalarType.VARCHAR)).aggregate(values("pear", "apple", "zoo")));
        assertEquals(19_000, AggregateHarness.of("MAX", col(0, ScalarType.DATE)).aggregate(values(18_000, 19_000)));
        assertEquals(false, AggregateHarness.of("MIN", col(0, ScalarType.BOOLEAN)).aggregate(values(true, false)));
        assertEquals(new BigDecimal("10.00"),
                AggregateHarness.of("MAX", col(0, DEC_10_2)).aggregate(values(new BigDecimal("9.99"), new BigDecimal("10.00"))));
        assertEquals(ScalarType.TIMESTAMP, AggregateHarness.of("MAX", col(0, ScalarType.TIMESTAMP)).returnType);
    }

    @Test
    void minOfAllNullIsNull() {
        assertNull(AggregateHarness.of("MIN", col(0, ScalarType.DOUBLE)).aggregate(values(null, null)));
        assertNull(AggregateHarness.of("MAX", col(0, ScalarType.DOUBLE)).aggregate(List.of()));
    }

    @Test
    void plainMinCannotRetractButChangelogMinCan() {
        AggregateHarness min = AggregateHarness.of("MIN", col(0, ScalarType.INTEGER));
        assertFalse(min.factory.create().canRetract());
        AggregateHarness changelogMin = AggregateHarness.changelog("MIN", col(0, ScalarType.INTEGER));
        var acc = changelogMin.accumulate(values(3, 1, 1, 2));
        acc.retract(new Object[]{1}, 0);
        assertEquals(1, acc.result());
        acc.retract(new Object[]{1}, 0);
        assertEquals(2, changelogMin.roundTrip(acc).result());
        changelogMin.assertRetractionUndoesAdd(values(3, 1, null, 1, 2));
        AggregateHarness.changelog("MAX", col(0, ScalarType.INTEGER)).assertRetractionUndoesAdd(values(3, 1, null, 4, 2));
    }

    @Test
    void minMaxAndTopkDistinctOrderBytesAsKsqlDbDoes() {
        byte[] a = {0x41};
        byte[] ab = {0x41, 0x42};
        byte[] high = {(byte) 0x80}; // a negative byte: ksqlDB (ByteBuffer order) puts it before 'A'
        var inputs = values(ab, null, high, a);
        assertArrayEquals(high, (byte[]) AggregateHarness.of("MIN", col(0, ScalarType.BYTES)).aggregate(inputs));
        assertArrayEquals(ab, (byte[]) AggregateHarness.of("MAX", col(0, ScalarType.BYTES)).aggregate(inputs));
        var changelogMax = AggregateHarness.changelog("MAX", col(0, ScalarType.BYTES));
        var acc = changelogMax.accumulate(inputs);
        acc.retract(new Object[]{ab}, 0);
        assertArrayEquals(a, (byte[]) changelogMax.roundTrip(acc).result());
        List<?> top = (List<?>) AggregateHarness.of("TOPKDISTINCT", col(0, ScalarType.BYTES), lit(2, ScalarType.INTEGER))
                .aggregate(values(a, ab, a, high));
        assertEquals(2, top.size());
        assertArrayEquals(ab, (byte[]) top.get(0));
        assertArrayEquals(a, (byte[]) top.get(1));
    }

    @Test
    void minRejectsNonComparableTypes() {
        var e = assertThrows(FunctionException.class, () -> AggregateHarness.of("MIN", col(0, ScalarType.VARIANT)));
        assertEquals("MIN expects an argument of a comparable type (number, VARCHAR, BOOLEAN, DATE, TIMESTAMP, INTERVAL, BYTES), got VARIANT",
                e.getMessage());
    }

    @Test
    void mergeEqualsSequentialAdd() {
        var ints = values(4, null, -2, 9, 9, 1);
        AggregateHarness.of("COUNT", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        AggregateHarness.of("SUM", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        AggregateHarness.of("AVG", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        AggregateHarness.of("MIN", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        AggregateHarness.of("MAX", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        AggregateHarness.changelog("MAX", col(0, ScalarType.INTEGER)).assertMergeEqualsSequential(ints);
        var doubles = values(0.5, null, 2.25, -1.0);
        AggregateHarness.of("SUM", col(0, ScalarType.DOUBLE)).assertMergeEqualsSequential(doubles);
        AggregateHarness.of("AVG", col(0, ScalarType.DOUBLE)).assertMergeEqualsSequential(doubles);
        var decimals = values(new BigDecimal("1.10"), null, new BigDecimal("-0.05"));
        AggregateHarness.of("SUM", col(0, DEC_10_2)).assertMergeEqualsSequential(decimals);
        AggregateHarness.of("AVG", col(0, DEC_10_2)).assertMergeEqualsSequential(decimals);
        AggregateHarness.of("MIN", col(0, DEC_10_2)).assertMergeEqualsSequential(decimals);
        AggregateHarness.of("SUM", col(0, DEC_10_2)).assertAddAfterReadContinues(decimals);
        AggregateHarness.changelog("MIN", col(0, ScalarType.INTEGER)).assertAddAfterReadContinues(ints);
        AggregateHarness.of("MAX", col(0, ScalarType.INTEGER)).assertAddAfterReadContinues(ints);
    }

    @Test
    void retractionUndoesAdd() {
        var ints = values(4, null, -2, 9, 9, 1);
        AggregateHarness.of("COUNT", col(0, ScalarType.INTEGER)).assertRetractionUndoesAdd(ints);
        AggregateHarness.of("SUM", col(0, ScalarType.INTEGER)).assertRetractionUndoesAdd(ints);
        AggregateHarness.of("AVG", col(0, ScalarType.INTEGER)).assertRetractionUndoesAdd(ints);
        AggregateHarness.of("SUM", col(0, DEC_10_2)).assertRetractionUndoesAdd(
                values(new BigDecimal("1.10"), null, new BigDecimal("-0.05")));
    }

    @Test
    void smallStatesSerializeInAFewBytes() {
        AggregateHarness count = AggregateHarness.of("COUNT");
        assertEquals(1, count.serializedSize(count.accumulate(List.of(AggregateHarness.in(0)))));
        AggregateHarness sum = AggregateHarness.of("SUM", col(0, ScalarType.BIGINT));
        assertEquals(9, sum.serializedSize(sum.accumulate(values(1L, 2L))));
    }
}

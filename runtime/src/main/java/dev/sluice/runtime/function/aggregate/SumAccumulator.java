package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Running sum and count of the non-NULL inputs of SUM (and AVG, which extends it). The count makes
 * "no non-NULL input" observable, also after retracting every input again, so the result is NULL
 * then rather than 0 (Flink's and SQL's SUM); ksqlDB's SUM starts at 0 and skips NULLs, so in its
 * dialect ({@code zeroWhenEmpty}) the result then is 0. The stored form is the same either way.
 *
 * <p>INTEGER and BIGINT add in a long and, like Flink, wrap silently on overflow; DOUBLE adds in a
 * double; DECIMAL adds exactly.
 */
class SumAccumulator implements Accumulator {

    /** How the sum is held, chosen from the argument type. */
    enum Kind {
        LONG, DOUBLE, DECIMAL;

        static Kind of(SqlType type) {
            if (type instanceof DecimalType) {
                return DECIMAL;
            }
            return type == ScalarType.DOUBLE ? DOUBLE : LONG;
        }
    }

    private final ArgumentSlots slots;
    private final Kind kind;
    /** For DECIMAL: the type the sum is written with (DECIMAL(38, s)). */
    private final SqlType sumType;
    /** ksqlDB's SUM and AVG: 0 (not NULL) without a non-NULL input. */
    private final boolean zeroWhenEmpty;
    private long count;
    private long longSum;
    private double doubleSum;
    private BigDecimal decimalSum = BigDecimal.ZERO;

    SumAccumulator(ArgumentSlots slots, Kind kind, SqlType sumType, boolean zeroWhenEmpty) {
        this.slots = slots;
        this.kind = kind;
        this.sumType = sumType;
        this.zeroWhenEmpty = zeroWhenEmpty;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v == null) {
            return;
        }
        count++;
        switch (kind) {
            case LONG -> longSum += ((Number) v).longValue();
            case DOUBLE -> doubleSum += ((Number) v).doubleValue();
            case DECIMAL -> decimalSum = decimalSum.add((BigDecimal) v);
        }
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    @Override
    public void retract(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v == null) {
            return;
        }
        count--;
        if (count == 0) {
            // start clean: a DOUBLE sum would otherwise keep rounding residue forever
            longSum = 0;
            doubleSum = 0;
            decimalSum = BigDecimal.ZERO;
            return;
        }
        switch (kind) {
            case LONG -> longSum -= ((Number) v).longValue();
            case DOUBLE -> doubleSum -= ((Number) v).doubleValue();
            case DECIMAL -> decimalSum = decimalSum.subtract((BigDecimal) v);
        }
    }

    @Override
    public void merge(Accumulator other) {
        SumAccumulator o = (SumAccumulator) other;
        count += o.count;
        longSum += o.longSum;
        doubleSum += o.doubleSum;
        decimalSum = decimalSum.add(o.decimalSum);
    }

    long count() {
        return count;
    }

    @Override
    public Object result() {
        if (count == 0 && !zeroWhenEmpty) {
            return null;
        }
        return switch (kind) {
            case LONG -> longSum;
            case DOUBLE -> doubleSum;
            case DECIMAL -> decimalSum.setScale(((DecimalType) sumType).scale(), java.math.RoundingMode.HALF_UP);
        };
    }

    /** The mean of the non-NULL inputs as a DOUBLE; without any, NULL (ksqlDB's AVG: 0.0). */
    Double average() {
        if (count == 0) {
            return zeroWhenEmpty ? 0.0 : null;
        }
        return switch (kind) {
            case LONG -> (double) longSum / count;
            case DOUBLE -> doubleSum / count;
            case DECIMAL -> decimalSum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
        };
    }

    @Override
    public void write(DataOutput out) throws IOException {
        StateIo.writeVarLong(out, count);
        if (count == 0) {
            return;
        }
        switch (kind) {
            case LONG -> out.writeLong(longSum);
            case DOUBLE -> out.writeDouble(doubleSum);
            case DECIMAL -> ValueCodec.write(out, sumType, decimalSum);
        }
    }

    /** Reads the state written by {@link #write} into this empty accumulator. */
    <A extends SumAccumulator> A readInto(DataInput in) throws IOException {
        count = StateIo.readVarLong(in);
        if (count != 0) {
            switch (kind) {
                case LONG -> longSum = in.readLong();
                case DOUBLE -> doubleSum = in.readDouble();
                case DECIMAL -> decimalSum = (BigDecimal) ValueCodec.read(in, sumType);
            }
        }
        @SuppressWarnings("unchecked")
        A self = (A) this;
        return self;
    }
}

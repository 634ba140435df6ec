package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * ksqlDB's {@code TOPK(sortCol, otherCol1, ..., otherColN, k)}: the k rows with the greatest
 * {@code sortCol}, greatest first, each as a {@code STRUCT<sort_col, col0, ..., col(N-1)>} carrying
 * that row's other columns (ksqlDB's field names, lower case). Rows whose sortCol is NULL are skipped;
 * among equal sortCols the row that arrived first comes first, as ksqlDB keeps the earlier ones when
 * the list is full. The sort column is INTEGER, BIGINT, DOUBLE or VARCHAR, as in ksqlDB.
 *
 * <p>Only the k rows are kept ({@link #implementBounded}, ksqlDB's way: a row equal to the k-th when
 * the list is full is dropped), so the form does not retract: over a table it is refused at the call,
 * as ksqlDB refuses TOPK over a table. Keeping every distinct row with its count, which retracting
 * would need, grows with the group in the aggregate's value (issue 17's rule: O(log n) per record).
 */
final class TopkWithColumns {
    private TopkWithColumns() {
    }

    static SqlType returnType(List<Expr> arguments) {
        SqlType sort = arguments.get(0).type();
        if (sort != ScalarType.INTEGER && sort != ScalarType.BIGINT && sort != ScalarType.DOUBLE
                && sort != ScalarType.VARCHAR) {
            throw new FunctionException("TOPK expects its sort column to be INTEGER, BIGINT, DOUBLE or VARCHAR, got "
                    + sort.sql());
        }
        k(arguments);
        List<Column> fields = new ArrayList<>();
        fields.add(new Column("sort_col", sort));
        for (int i = 1; i < arguments.size() - 1; i++) {
            fields.add(new Column("col" + (i - 1), arguments.get(i).type()));
        }
        return new ArrayType(new StructType(fields));
    }

    static int k(List<Expr> arguments) {
        Expr last = arguments.get(arguments.size() - 1);
        if (!(last instanceof Expr.Literal l) || !(l.value() instanceof Number n)) {
            throw new FunctionException("TOPK expects a constant INTEGER k as its last argument");
        }
        if (n.intValue() < 1) {
            throw new FunctionException("TOPK: k must be at least 1, not " + n);
        }
        return n.intValue();
    }

    /** At most k rows, greatest first; does not retract. */
    static AccumulatorFactory implementBounded(List<Expr> arguments, SqlType returnType) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        StructType rowType = (StructType) ((ArrayType) returnType).element();
        int k = k(arguments);
        return Factories.of(() -> new Kept(slots, rowType, k, new ArrayList<>()), in -> {
            long n = StateIo.readVarLong(in);
            List<Row> rows = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                rows.add((Row) ValueCodec.read(in, rowType));
            }
            return new Kept(slots, rowType, k, rows);
        });
    }

    private static final Comparator<Row> GREATEST_FIRST =
            Comparator.<Row, Object>comparing(r -> r.get(0), ValueOrder.NATURAL).reversed();

    private static Row row(ArgumentSlots slots, StructType rowType, Object[] arguments) {
        Object[] values = new Object[rowType.fields().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = slots.get(arguments, i);
        }
        return new Row(values);
    }

    private static final class Kept implements Accumulator {
        private final ArgumentSlots slots;
        private final StructType rowType;
        private final int k;
        private final List<Row> rows;

        Kept(ArgumentSlots slots, StructType rowType, int k, List<Row> rows) {
            this.slots = slots;
            this.rowType = rowType;
            this.k = k;
            this.rows = rows;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            Row row = row(slots, rowType, arguments);
            if (row.get(0) == null
                    || rows.size() == k && ValueOrder.NATURAL.compare(row.get(0), rows.get(k - 1).get(0)) <= 0) {
                return;
            }
            if (rows.size() == k) {
                rows.remove(k - 1);
            }
            rows.add(row);
            rows.sort(GREATEST_FIRST); // stable: an equal earlier row stays ahead
        }

        @Override
        public void merge(Accumulator other) {
            rows.addAll(((Kept) other).rows);
            rows.sort(GREATEST_FIRST); // this one's rows ahead of the other's equal ones
            while (rows.size() > k) {
                rows.remove(rows.size() - 1);
            }
        }

        @Override
        public Object result() {
            return rows.isEmpty() ? null : Collections.unmodifiableList(new ArrayList<Object>(rows));
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, rows.size());
            for (Row r : rows) {
                ValueCodec.write(out, rowType, r);
            }
        }
    }
}

package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.expr.ExpressionEvaluationException;
import dev.sluice.runtime.plan.ExplodeStep.TableFunction;
import dev.sluice.serdes.row.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one input row becomes under a SELECT's table functions (see
 * {@link dev.sluice.runtime.plan.ExplodeStep}): the input's columns followed by one value per
 * call, as many rows as the longest call's result, shorter results padded with NULL.
 */
public final class TableFunctionRows {
    /** ksqlDB's bound: 2^20 rows from one value is already more than any sensible cube. */
    static final int MAX_CUBE_COLUMNS = 20;

    private final TableFunction[] functions;
    private final Evaluator[] arguments;

    public TableFunctionRows(List<TableFunction> functions, Evaluator[] arguments) {
        this.functions = functions.toArray(TableFunction[]::new);
        this.arguments = arguments;
    }

    public List<Row> apply(Row input) {
        if (input == null) {
            return List.of();
        }
        List<List<?>> results = new ArrayList<>(functions.length);
        int rows = 0;
        for (int i = 0; i < functions.length; i++) {
            List<?> result = results(functions[i], arguments[i].evaluate(input));
            results.add(result);
            rows = Math.max(rows, result.size());
        }
        int width = input.size();
        List<Row> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Object[] values = new Object[width + functions.length];
            for (int c = 0; c < width; c++) {
                values[c] = input.get(c);
            }
            for (int f = 0; f < functions.length; f++) {
                List<?> result = results.get(f);
                values[width + f] = r < result.size() ? result.get(r) : null;
            }
            out.add(new Row(values));
        }
        return out;
    }

    static List<?> results(TableFunction function, Object argument) {
        if (!(argument instanceof List<?> list)) {
            return List.of();
        }
        return switch (function) {
            case EXPLODE -> list;
            case CUBE_EXPLODE -> cube(list);
        };
    }

    /**
     * Every combination of the values with some replaced by NULL, from all NULL to all present, the
     * first value the most significant. A value that is already NULL has one variant, not two, so
     * no combination is given twice (ksqlDB's CUBE_EXPLODE).
     */
    static List<List<Object>> cube(List<?> values) {
        int n = values.size();
        if (n > MAX_CUBE_COLUMNS) {
            throw new ExpressionEvaluationException("CUBE_EXPLODE: too many values (" + n + "); at most "
                    + MAX_CUBE_COLUMNS, null);
        }
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (values.get(i) != null) {
                present |= 1 << (n - 1 - i);
            }
        }
        List<List<Object>> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            if ((mask & present) != mask) {
                continue;
            }
            List<Object> row = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                row.add((mask & (1 << (n - 1 - i))) == 0 ? null : values.get(i));
            }
            out.add(row);
        }
        return out;
    }
}

package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.expr.ExpressionEvaluationException;
import dev.sluice.runtime.plan.ExplodeStep.TableFunction;
import dev.sluice.serdes.row.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableFunctionRowsTest {
    private static Evaluator column(int i) {
        return row -> row.get(i);
    }

    private static List<List<Object>> values(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Object> v = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                v.add(r.get(i));
            }
            out.add(v);
        }
        return out;
    }

    @Test
    void explodeGivesOneRowPerElementAfterTheInputColumns() {
        TableFunctionRows rows = new TableFunctionRows(List.of(TableFunction.EXPLODE), new Evaluator[]{column(1)});
        assertEquals(List.of(List.of("k", List.of(1, 2), 1), List.of("k", List.of(1, 2), 2)),
                values(rows.apply(new Row(new Object[]{"k", List.of(1, 2)}))));
    }

    @Test
    void anEmptyOrNullArrayGivesNoRow() {
        TableFunctionRows rows = new TableFunctionRows(List.of(TableFunction.EXPLODE), new Evaluator[]{column(0)});
        assertEquals(List.of(), rows.apply(new Row(new Object[]{List.of()})));
        assertEquals(List.of(), rows.apply(new Row(new Object[]{null})));
    }

    @Test
    void severalCallsAreZippedAndTheShorterPaddedWithNull() {
        TableFunctionRows rows = new TableFunctionRows(List.of(TableFunction.EXPLODE, TableFunction.EXPLODE),
                new Evaluator[]{column(0), column(1)});
        List<List<Object>> out = values(rows.apply(new Row(new Object[]{List.of(1, 2), List.of(10, 11, 12)})));
        assertEquals(3, out.size());
        assertEquals(Arrays.asList(1, 10), out.get(0).subList(2, 4));
        assertEquals(Arrays.asList(2, 11), out.get(1).subList(2, 4));
        assertEquals(Arrays.asList(null, 12), out.get(2).subList(2, 4));
    }

    @Test
    void cubeGivesEveryCombinationFromAllNullToAllPresentFirstValueMostSignificant() {
        assertEquals(List.of(Arrays.asList(null, null), Arrays.asList(null, 2), Arrays.asList(1, null), List.of(1, 2)),
                TableFunctionRows.cube(List.of(1, 2)));
    }

    @Test
    void cubeSkipsTheDuplicatesANullValueWouldGive() {
        assertEquals(List.of(Arrays.asList(null, null), Arrays.asList(1, null)),
                TableFunctionRows.cube(Arrays.asList(1, null)));
    }

    @Test
    void cubeOfMoreThanTwentyValuesFailsTheRecordNotThePipeline() {
        assertThrows(ExpressionEvaluationException.class,
                () -> TableFunctionRows.cube(Collections.nCopies(21, 1)));
    }
}

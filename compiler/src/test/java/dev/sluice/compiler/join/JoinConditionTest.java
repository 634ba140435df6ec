package dev.sluice.compiler.join;

import dev.sluice.compiler.analyzer.JoinCondition;
import dev.sluice.compiler.analyzer.Scope;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How an ON clause splits into join keys, event-time bounds and a residual predicate. Two streams:
 * {@code a(id INT, k VARCHAR, ts TIMESTAMP)} and {@code b(k VARCHAR, n BIGINT, ts TIMESTAMP, id BIGINT)},
 * event time in {@code ts} on both sides; in the joined row b's columns start at index 3.
 */
class JoinConditionTest {
    private static final Scope A = Scope.of("a", new Schema(List.of(new Column("id", ScalarType.INTEGER),
            new Column("k", ScalarType.VARCHAR), new Column("ts", ScalarType.TIMESTAMP))),
            OptionalInt.of(2), OptionalLong.of(30_000));
    private static final Scope B = Scope.of("b", new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("n", ScalarType.BIGINT), new Column("ts", ScalarType.TIMESTAMP),
            new Column("id", ScalarType.BIGINT))), OptionalInt.of(2), OptionalLong.of(10_000));

    private static JoinCondition analyze(String on) {
        return JoinCondition.analyze(SqlParser.parseExpression(on), A, B, new DefaultFunctionCatalog(() -> 0L));
    }

    @Test
    void anEqualityBetweenTheSidesIsAKeyWithEachOperandOverItsOwnRow() {
        JoinCondition c = analyze("a.k = b.k");
        assertEquals(List.of(new Expr.InputRef(1, ScalarType.VARCHAR)), c.leftKeys());
        assertEquals(List.of(new Expr.InputRef(0, ScalarType.VARCHAR)), c.rightKeys());
        assertTrue(c.bounds().isEmpty());
        assertTrue(c.residual().isEmpty());
    }

    @Test
    void operandsWrittenRightSideFirstAreSwapped() {
        JoinCondition c = analyze("b.k = a.k");
        assertEquals(List.of(new Expr.InputRef(1, ScalarType.VARCHAR)), c.leftKeys());
        assertEquals(List.of(new Expr.InputRef(0, ScalarType.VARCHAR)), c.rightKeys());
    }

    @Test
    void severalEqualitiesMakeACompositeKeyInWrittenOrder() {
        JoinCondition c = analyze("a.k = b.k AND a.id = b.id");
        assertEquals(2, c.leftKeys().size());
        assertEquals(new Expr.InputRef(1, ScalarType.VARCHAR), c.leftKeys().get(0));
        assertEquals(new Expr.InputRef(0, ScalarType.VARCHAR), c.rightKeys().get(0));
    }

    @Test
    void keyOperandsOfDifferentTypesAreWidenedToACommonTypeSoTheyCompareEqual() {
        // INTEGER a.id against BIGINT b.id: as keys, Integer 1 and Long 1 would never be equal.
        JoinCondition c = analyze("a.id = b.id");
        assertEquals(ScalarType.BIGINT, c.leftKeys().get(0).type());
        assertEquals(new Expr.Call("CAST", List.of(new Expr.InputRef(0, ScalarType.INTEGER)), ScalarType.BIGINT),
                c.leftKeys().get(0));
        assertEquals(new Expr.InputRef(3, ScalarType.BIGINT), c.rightKeys().get(0));
    }

    @Test
    void betweenWithIntervalsGivesInclusiveBoundsOnRightMinusLeftTime() {
        // a.ts in [b.ts - 30 s, b.ts + 60 s]  <=>  b.ts - a.ts in [-60 s, 30 s]
        JoinCondition c = analyze("a.k = b.k AND a.ts BETWEEN b.ts - INTERVAL '30' SECOND AND b.ts + INTERVAL '1' MINUTE");
        assertEquals(new JoinCondition.TimeBounds(-60_000, 30_000), c.bounds().orElseThrow());
        assertEquals(60_000, c.bounds().get().beforeMs());
        assertEquals(30_000, c.bounds().get().afterMs());
        assertTrue(c.residual().isEmpty());
    }

    @Test
    void strictComparisonsAreTightenedByOneMillisecond() {
        // Seed pattern 5: b.ts > a.ts AND b.ts < a.ts + 5 min  <=>  b.ts - a.ts in [1 ms, 299 999 ms]
        JoinCondition c = analyze("a.k = b.k AND b.ts > a.ts AND b.ts < a.ts + INTERVAL '5' MINUTE");
        assertEquals(new JoinCondition.TimeBounds(1, 299_999), c.bounds().orElseThrow());
        assertEquals(-1, c.bounds().get().beforeMs());
    }

    @Test
    void boundsWrittenFromTheLeftSideAreFlipped() {
        // a.ts >= b.ts - 10 s  <=>  b.ts - a.ts <= 10 s;  a.ts <= b.ts  <=>  b.ts - a.ts >= 0
        JoinCondition c = analyze("a.ts >= b.ts - INTERVAL '10' SECOND AND a.ts <= b.ts AND a.k = b.k");
        assertEquals(new JoinCondition.TimeBounds(0, 10_000), c.bounds().orElseThrow());
    }

    @Test
    void equalEventTimesAreAZeroWidthInterval() {
        JoinCondition c = analyze("a.k = b.k AND a.ts = b.ts");
        assertEquals(new JoinCondition.TimeBounds(0, 0), c.bounds().orElseThrow());
        assertEquals(1, c.leftKeys().size());
    }

    @Test
    void otherPredicatesStayAsAResidualOverTheJoinedRow() {
        JoinCondition c = analyze("a.k = b.k AND b.n > 5 AND a.id + b.n < 100");
        assertEquals(2, c.residual().size());
        // b.n is column 1 of b, column 3 + 1 = 4 of the joined row.
        Expr first = c.residual().get(0);
        assertEquals(new Expr.Call(">", List.of(new Expr.InputRef(4, ScalarType.BIGINT),
                ((Expr.Call) first).arguments().get(1)), ScalarType.BOOLEAN), first);
    }

    @Test
    void anEqualityWithinOneSideIsNotAKey() {
        JoinCondition c = analyze("a.k = b.k AND a.id = 3");
        assertEquals(1, c.leftKeys().size());
        assertEquals(1, c.residual().size());
    }

    @Test
    void aComparisonOfNonTimeColumnsIsNotABound() {
        JoinCondition c = analyze("a.k = b.k AND b.n > a.id");
        assertTrue(c.bounds().isEmpty());
        assertEquals(1, c.residual().size());
    }

    @Test
    void aTimeConditionBoundingOneSideOnlyFiltersARegularJoin() {
        // Flink plans `b.ts > a.ts` alone as a regular join filtered by it, not as an interval join
        JoinCondition c = analyze("a.k = b.k AND b.ts > a.ts");
        assertTrue(c.bounds().isEmpty());
        assertEquals(1, c.leftKeys().size());
        assertEquals(1, c.residual().size());
        assertTrue(c.residual().get(0).toString().startsWith(">("), c.residual().toString());
    }

    @Test
    void anEmptyIntervalIsAnError() {
        SqlException e = assertThrows(SqlException.class,
                () -> analyze("a.k = b.k AND b.ts > a.ts + INTERVAL '1' MINUTE AND b.ts < a.ts"));
        assertTrue(e.getMessage().contains("can never be true"), e.getMessage());
    }
}

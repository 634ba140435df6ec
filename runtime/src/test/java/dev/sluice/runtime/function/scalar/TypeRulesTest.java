package dev.sluice.runtime.function.scalar;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class TypeRulesTest {

    @Test
    void nullUnifiesWithAnything() {
        assertEquals(Optional.of(ScalarType.INTEGER), TypeRules.commonType(ScalarType.NULL, ScalarType.INTEGER));
        assertEquals(Optional.of(ScalarType.VARCHAR), TypeRules.commonType(ScalarType.VARCHAR, ScalarType.NULL));
    }

    @Test
    void numbersWiden() {
        assertEquals(Optional.of(ScalarType.BIGINT), TypeRules.commonType(ScalarType.INTEGER, ScalarType.BIGINT));
        // INTEGER is DECIMAL(10,0): 10 integer digits and scale 2.
        assertEquals(Optional.of(new DecimalType(12, 2)), TypeRules.commonType(ScalarType.INTEGER, new DecimalType(5, 2)));
        assertEquals(Optional.of(new DecimalType(21, 2)),
                TypeRules.commonType(List.of(ScalarType.INTEGER, ScalarType.BIGINT, new DecimalType(2, 2))));
        assertEquals(Optional.of(ScalarType.DOUBLE), TypeRules.commonType(new DecimalType(5, 2), ScalarType.DOUBLE));
    }

    @Test
    void temporalsAndCollectionsUnify() {
        assertEquals(Optional.of(ScalarType.TIMESTAMP), TypeRules.commonType(ScalarType.DATE, ScalarType.TIMESTAMP));
        assertEquals(Optional.of(ScalarType.TIMESTAMP_LTZ), TypeRules.commonType(ScalarType.TIMESTAMP, ScalarType.TIMESTAMP_LTZ));
        assertEquals(Optional.of(new ArrayType(ScalarType.BIGINT)),
                TypeRules.commonType(new ArrayType(ScalarType.INTEGER), new ArrayType(ScalarType.BIGINT)));
    }

    @Test
    void unrelatedTypesDoNotUnify() {
        assertEquals(Optional.empty(), TypeRules.commonType(ScalarType.VARCHAR, ScalarType.INTEGER));
        assertEquals(Optional.empty(), TypeRules.commonType(ScalarType.BOOLEAN, ScalarType.TIMESTAMP));
        assertEquals(Optional.empty(), TypeRules.commonType(List.of()));
    }

    @Test
    void decimalDivisionKeepsAtLeastSixDigitsOfScaleWhenPrecisionOverflows() {
        // DECIMAL(38,0) / DECIMAL(38,0): scale 39 and precision 77; 38 integer digits leave 0,
        // but at least min(39, 6) = 6 fraction digits are kept.
        assertEquals(new DecimalType(38, 6), TypeRules.divisionDecimal(new DecimalType(38, 0), new DecimalType(38, 0)));
        assertEquals(new DecimalType(38, 15), TypeRules.divisionDecimal(new DecimalType(24, 1), new DecimalType(19, 0)));
    }

    @Test
    void moduloAndRoundTyping() {
        // scale max(2, 0) = 2, precision min(5-2, 10-0) + 2 = 5.
        assertEquals(new DecimalType(5, 2), TypeRules.moduloDecimal(new DecimalType(5, 2), new DecimalType(10, 0)));
        assertEquals(new DecimalType(5, 1), TypeRules.roundDecimal(new DecimalType(5, 2), 1));
        assertEquals(new DecimalType(4, 0), TypeRules.roundDecimal(new DecimalType(5, 2), 0));
        assertEquals(new DecimalType(5, 2), TypeRules.roundDecimal(new DecimalType(5, 2), 3));
    }
}

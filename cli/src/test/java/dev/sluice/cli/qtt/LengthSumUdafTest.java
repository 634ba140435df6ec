package dev.sluice.cli.qtt;

import dev.sluice.cli.qtt.ksqlfunctions.FiveArgUdaf;
import dev.sluice.cli.qtt.ksqlfunctions.FourArgUdaf;
import dev.sluice.cli.qtt.ksqlfunctions.LengthSumUdaf;
import dev.sluice.cli.qtt.ksqlfunctions.MultiArgUdaf;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MULTI_ARG family's sums, and that each member still offers the aggregate API only its own columns
 * (outside their package, which the ksql-test-functions jar packs whole).
 */
class LengthSumUdafTest {

    @Test
    void eachStartsAtItsInitialArgumentsAndAddsItsColumns() {
        MultiArgUdaf multi = new MultiArgUdaf();
        LengthSumUdaf.Total m = multi.createAccumulator(1, "ab", null, "c");
        multi.accumulate(m, 10L, "xyz");
        multi.accumulate(m, null, null);
        assertEquals(17L, multi.getValue(m));

        FourArgUdaf four = new FourArgUdaf();
        LengthSumUdaf.Total f = four.createAccumulator(2);
        four.accumulate(f, 5L, "a", "bb", null);
        LengthSumUdaf.Total other = four.createAccumulator(0, "abcd");
        four.accumulate(other, null, "x", null, "yz");
        four.merge(f, other);
        assertEquals(2 + 5 + 3 + 4 + 3, four.getValue(f));

        FiveArgUdaf five = new FiveArgUdaf();
        LengthSumUdaf.Total v = five.createAccumulator(0, "a");
        five.accumulate(v, 1L, "a", "b", "c", 7);
        five.accumulate(v, 1L, null, null, null, null);
        assertEquals(1 + 1 + 3 + 7 + 1, five.getValue(v));
    }

    @Test
    void eachHasOnlyItsOwnAccumulate() {
        assertEquals(List.of(List.of(LengthSumUdaf.Total.class, Long.class, String.class)), accumulates(MultiArgUdaf.class));
        assertEquals(List.of(List.of(LengthSumUdaf.Total.class, Long.class, String.class, String.class, String.class)),
                accumulates(FourArgUdaf.class));
        assertEquals(List.of(List.of(LengthSumUdaf.Total.class, Long.class, String.class, String.class, String.class,
                Integer.class)), accumulates(FiveArgUdaf.class));
    }

    private static List<List<Class<?>>> accumulates(Class<?> udaf) {
        return Arrays.stream(udaf.getMethods()).filter(m -> m.getName().equals("accumulate"))
                .map(Method::getParameterTypes).map(List::of).toList();
    }
}

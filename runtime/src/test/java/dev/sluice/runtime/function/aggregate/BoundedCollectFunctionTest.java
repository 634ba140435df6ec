package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COLLECT_LIST_BOUNDED / COLLECT_SET_BOUNDED against a simple model: ksqlDB's limited collections. */
class BoundedCollectFunctionTest {
    private static AccumulatorFactory factory(BoundedCollectFunction f, long limit) {
        List<Expr> args = List.of(new Expr.InputRef(0, ScalarType.INTEGER), new Expr.Literal(limit, ScalarType.BIGINT));
        return f.implement(args, f.returnType(args), List.of());
    }

    private static Accumulator roundTrip(AccumulatorFactory factory, Accumulator a) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(new DataOutputStream(bytes));
        return factory.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void randomAddsAndRetractionsMatchTheModelAndStayBounded() throws Exception {
        Random random = new Random(18);
        for (boolean set : new boolean[]{false, true}) {
            for (int limit : new int[]{0, 1, 3}) {
                AccumulatorFactory factory = factory(set ? BoundedCollectFunction.set() : BoundedCollectFunction.list(), limit);
                Accumulator acc = factory.create();
                List<Integer> held = new ArrayList<>(); // the model of a list: held elements
                java.util.LinkedHashMap<Integer, Integer> counts = new java.util.LinkedHashMap<>(); // of a set
                List<Integer> live = new ArrayList<>(); // every input not yet retracted
                for (int step = 0; step < 400; step++) {
                    boolean retract = !live.isEmpty() && random.nextInt(3) == 0;
                    Integer v = random.nextInt(10) == 0 ? null : random.nextInt(6);
                    if (retract) {
                        v = live.remove(random.nextInt(live.size()));
                        acc.retract(new Object[]{v}, 0);
                        int at = held.lastIndexOf(v);
                        if (at >= 0) {
                            held.remove(at);
                        }
                        if (counts.containsKey(v) && counts.merge(v, -1, Integer::sum) == 0) {
                            counts.remove(v);
                        }
                    } else {
                        live.add(v);
                        acc.add(new Object[]{v}, 0);
                        if (held.size() < limit) {
                            held.add(v);
                        }
                        if (counts.containsKey(v)) {
                            counts.merge(v, 1, Integer::sum);
                        } else if (counts.size() < limit) {
                            counts.put(v, 1);
                        }
                    }
                    if (step % 50 == 0) {
                        acc = roundTrip(factory, acc);
                    }
                    List<Integer> expected = set ? new ArrayList<>(counts.keySet()) : held;
                    assertEquals(expected, acc.result(), "set=" + set + " limit=" + limit + " step " + step);
                    assertTrue(((List<?>) acc.result()).size() <= limit);
                }
            }
        }
    }

    @Test
    void mergeFillsOnlyTheRoomLeft() {
        AccumulatorFactory factory = factory(BoundedCollectFunction.set(), 3);
        Accumulator a = factory.create();
        Accumulator b = factory.create();
        a.add(new Object[]{1}, 0);
        b.add(new Object[]{1}, 0);
        b.add(new Object[]{2}, 0);
        b.add(new Object[]{3}, 0);
        b.add(new Object[]{4}, 0);
        a.merge(b);
        assertEquals(Arrays.asList(1, 2, 3), a.result());
        assertEquals(new LinkedHashSet<>(List.of(1, 2, 3)).stream().toList(), a.result());
    }

    @Test
    void aNegativeLimitIsNoLimit() {
        Accumulator a = factory(BoundedCollectFunction.list(), -1).create();
        for (int i = 0; i < 100; i++) {
            a.add(new Object[]{i}, 0);
        }
        assertEquals(100, ((List<?>) a.result()).size());
    }
}

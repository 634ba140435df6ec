package dev.sluice.bench;

import dev.sluice.bench.hand.HandFilterProjectCase;
import dev.sluice.bench.hand.HandHoppingAggregate;
import dev.sluice.bench.hand.HandIntervalJoin;
import dev.sluice.bench.hand.HandSessionAggregate;
import dev.sluice.bench.hand.HandStreamTableJoin;
import dev.sluice.bench.hand.HandTumblingAggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The six shapes of issue 9, in order. */
public final class Shapes {
    private Shapes() {
    }

    public static List<Shape> all() {
        String in = InputGenerator.EVENTS;
        String out = Shape.OUTPUT;
        return List.of(
                new Shape("a", "filter + project + CASE", "a_filter_project_case.sql",
                        () -> HandFilterProjectCase.topology(in, out)),
                new Shape("b", "tumbling 5 min, 6 aggregates", "b_tumbling_aggregate.sql",
                        () -> HandTumblingAggregate.topology(in, out)),
                new Shape("c", "hopping 1/15 min", "c_hopping_aggregate.sql",
                        () -> HandHoppingAggregate.topology(in, out)),
                new Shape("d", "session 30 min per user", "d_session_aggregate.sql",
                        () -> HandSessionAggregate.topology(in, out)),
                new Shape("e", "stream-table join", "e_stream_table_join.sql",
                        () -> HandStreamTableJoin.topology(in, InputGenerator.CONFIGS, out)),
                new Shape("f", "stream-stream interval join", "f_interval_join.sql",
                        () -> HandIntervalJoin.topology(in, InputGenerator.METRICS, out)));
    }

    /** The shape's whole script: the shared source declaration, then the shape's own statements. */
    public static String sql(Shape shape) {
        return resource("feedback_events.ddl.sql") + "\n" + resource(shape.sqlResource());
    }

    private static String resource(String name) {
        try (InputStream in = Shapes.class.getResourceAsStream("/shapes/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource shapes/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

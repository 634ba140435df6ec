package dev.sluice.runtime.plan;

import java.util.Optional;

/**
 * The window a query's output rows belong to when the rows come straight from a windowed
 * aggregate or a windowed source (through filters and projections only): its records are keyed by
 * group key, window start and window end, and a ksqlDB sink writes that window into the record key.
 */
public final class OutputWindow {
    private OutputWindow() {
    }

    public static Optional<WindowSpec> of(Step root) {
        Step step = root;
        while (true) {
            if (step instanceof AggregateStep a) {
                return a.window();
            }
            if (step instanceof StreamStreamJoinStep j) {
                // a join of ksqlDB windowed sources is keyed by key and window (the left side's window)
                Optional<WindowSpec> left = joinedSource(j.left());
                return joinedSource(j.right()).isPresent() ? left : Optional.empty();
            }
            if (step instanceof SourceStep s) {
                return WindowedSource.of(s.format()); // ksqlDB's windowed source: its keys keep their window
            }
            if (step instanceof ProjectStep p) {
                step = p.input();
            } else if (step instanceof FilterStep f) {
                step = f.input();
            } else if (step instanceof SuppressStep s) {
                step = s.input();
            } else {
                return Optional.empty();
            }
        }
    }

    private static Optional<WindowSpec> joinedSource(Step side) {
        Step step = side;
        while (step instanceof RekeyStep || step instanceof FilterStep || step instanceof ProjectStep) {
            step = step.inputs().get(0);
        }
        return step instanceof SourceStep s ? WindowedSource.of(s.format()) : Optional.empty();
    }

    /** A ksqlDB window: the sink writes it into the record key (Kafka Streams' windowed key layout). */
    public static Optional<WindowSpec> ksql(Step root) {
        return of(root).filter(WindowSpec::ksql);
    }
}

package dev.sluice.compiler;

import dev.sluice.runtime.operator.ProcessingTimeWindowAggregate;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.WindowSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processing-time windows of a compiled script (windows over a PROCTIME() column), for the
 * commands whose behaviour depends on the wall clock: replay moves its driver's wall clock with the
 * input when there are some, and a bounded {@code sluice run} waits for them to close.
 */
public final class ProcessingTimeWindows {
    private ProcessingTimeWindows() {
    }

    public static List<WindowSpec> of(CompiledScript script) {
        List<WindowSpec> out = new ArrayList<>();
        for (CompiledQuery q : script.queries()) {
            collect(q.plan().root(), out);
        }
        return out;
    }

    /**
     * How long after the last input record the last processing-time window is surely emitted: the
     * longest window (a row processed at t lies in windows ending at most one size after t) plus one
     * punctuator tick; zero without such windows, or when only blackhole sinks read them.
     */
    public static Duration closingWait(CompiledScript script) {
        long longest = 0;
        for (CompiledQuery q : script.queries()) {
            // a blackhole sink's rows are discarded (sluice run): nothing to wait for
            if (q.plan().sink().map(f -> f.properties().getOrDefault("connector", "kafka")
                    .equalsIgnoreCase("blackhole")).orElse(false)) {
                continue;
            }
            List<WindowSpec> windows = new ArrayList<>();
            collect(q.plan().root(), windows);
            for (WindowSpec w : windows) {
                longest = Math.max(longest, w.sizeMs() + ProcessingTimeWindowAggregate.tickMs(w));
            }
        }
        return Duration.ofMillis(longest);
    }

    private static void collect(Step step, List<WindowSpec> out) {
        if (step instanceof AggregateStep a && a.window().map(WindowSpec::processingTime).orElse(false)) {
            out.add(a.window().get());
        }
        for (Step input : step.inputs()) {
            collect(input, out);
        }
    }
}

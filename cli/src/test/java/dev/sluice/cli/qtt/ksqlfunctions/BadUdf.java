package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.concurrent.atomic.AtomicLong;

/** BAD_UDF: fails on purpose, to show that a failing function costs its record only. */
public class BadUdf {
    private final AtomicLong calls = new AtomicLong();

    /** Always fails. */
    public String eval(int value) {
        throw new IllegalStateException("bad_udf fails for every INT");
    }

    /** Fails when asked to. */
    public int eval(boolean fail) {
        if (fail) {
            throw new IllegalStateException("bad_udf was asked to fail");
        }
        return 0;
    }

    /** NULL on the 1st, 3rd, 5th... call, the value on the others. */
    public String eval(String value) {
        return calls.getAndIncrement() % 2 == 0 ? null : value;
    }
}

package dev.sluice.cli.qtt.ksqlfunctions;

import java.util.List;

/** THROWING_UDTF: a table function that fails when asked to, else gives its argument as one row. */
public class ThrowingUdtf {
    public List<Boolean> rows(boolean fail) {
        if (fail) {
            throw new IllegalStateException("throwing_udtf was asked to fail");
        }
        return List.of(false);
    }
}

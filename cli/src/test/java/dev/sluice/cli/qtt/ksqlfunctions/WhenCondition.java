package dev.sluice.cli.qtt.ksqlfunctions;

/** WHENCONDITION: a CASE condition that fails when evaluated though it should not have been. */
public class WhenCondition {
    public boolean eval(boolean result, boolean expectedToBeEvaluated) {
        if (!expectedToBeEvaluated) {
            throw new IllegalStateException("a WHEN condition was evaluated that CASE should have skipped");
        }
        return result;
    }
}

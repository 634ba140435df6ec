package dev.sluice.cli.qtt.ksqlfunctions;

/** WHENRESULT: a CASE branch's result that fails when evaluated though it should not have been. */
public class WhenResult {
    public int eval(int result, boolean expectedToBeEvaluated) {
        if (!expectedToBeEvaluated) {
            throw new IllegalStateException("a CASE branch was evaluated that was not taken");
        }
        return result;
    }
}

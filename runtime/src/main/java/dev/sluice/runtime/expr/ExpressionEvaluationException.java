package dev.sluice.runtime.expr;

/**
 * A row for which an expression cannot be computed (division by zero, a bad CAST). It fails that
 * record only: the processing exception handler logs, counts and dead-letters it.
 */
public class ExpressionEvaluationException extends RuntimeException {
    public ExpressionEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}

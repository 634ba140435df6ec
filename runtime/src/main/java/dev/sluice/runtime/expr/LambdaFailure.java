package dev.sluice.runtime.expr;

/**
 * A lambda of TRANSFORM, FILTER or REDUCE failed for one element, where ksqlDB's generated code
 * throws: arithmetic on a NULL operand (ksqlDB's lambdas do not guard it), or a transformed or
 * filtered map with a NULL value or a repeated key (its {@code Collectors.toMap}). As in ksqlDB,
 * the outermost lambda function of the expression then is NULL for that record: the record is
 * still emitted. Thrown often on such data, so it carries no stack trace.
 */
public final class LambdaFailure extends RuntimeException {
    public LambdaFailure(String message) {
        super(message, null, false, false);
    }
}

package dev.sluice.compiler.errors;

/** A user function that fails for negative input, as a buggy UDF would. */
public class ThrowingUdf {
    public Long eval(Long x) {
        if (x != null && x < 0) {
            throw new IllegalArgumentException("negative input " + x);
        }
        return x;
    }
}

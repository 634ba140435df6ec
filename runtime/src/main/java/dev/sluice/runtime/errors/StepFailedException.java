package dev.sluice.runtime.errors;

/**
 * A record failed in one step of a chain of stateless steps that runs as one processor (see
 * {@code CalcChain}): carries the processor name the step would have on its own, so the drop is
 * counted and dead-lettered under that step as if the chain were not fused. The handler unwraps
 * it ({@code SluiceExceptionHandlers}); its message is the failure's.
 */
public final class StepFailedException extends RuntimeException {
    private final String processor;

    public StepFailedException(String processor, RuntimeException failure) {
        super(failure.getMessage(), failure, false, false);
        this.processor = processor;
    }

    /** The processor name of the step that failed, {@code <query>-<step>[-<role>]}. */
    public String processor() {
        return processor;
    }

    /** What the step threw. */
    public RuntimeException failure() {
        return (RuntimeException) getCause();
    }
}

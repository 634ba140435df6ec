package dev.sluice.runtime.errors;

/**
 * Thrown by an operator for a record it takes out of the pipeline on purpose (late, a NULL join
 * key, a CHECK violation), so that the processing exception handler treats it as every other
 * dropped record: counted, logged with topic-partition@offset, dead-lettered with its reason. No
 * stack trace: the reason and the record's position say everything.
 */
public class DroppedRecordException extends RuntimeException {
    private final DropReason reason;

    public DroppedRecordException(DropReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}

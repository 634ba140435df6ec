package dev.sluice.runtime.build;

/**
 * A record whose every window has closed. Thrown so that the processing exception handler treats
 * it like any other bad record: logged with topic/partition/offset, counted, dead-lettered.
 */
public class LateRecordException extends RuntimeException {
    public LateRecordException(String message) {
        super(message, null, false, false);
    }
}

package dev.sluice.runtime.build;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;

/**
 * A record whose every window has closed. Thrown so that the processing exception handler treats
 * it like any other dropped record: logged with topic/partition/offset, counted, dead-lettered.
 */
public class LateRecordException extends DroppedRecordException {
    public LateRecordException(String message) {
        super(DropReason.LATE, message);
    }
}

/**
 * Dropped records, accounted for in one place: why a record did not make it ({@link
 * dev.sluice.runtime.errors.DropReason}), the exception operators throw to drop one, and {@link
 * dev.sluice.runtime.errors.DroppedRecords}, which counts, logs and dead-letters every drop the same way.
 */
package dev.sluice.runtime.errors;

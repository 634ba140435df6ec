package dev.sluice.cli.it;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the changelog records an instance restores into its stores (a restart test's proof that state came back). */
final class RestoredRecords implements StateRestoreListener {
    private final AtomicLong restored = new AtomicLong();

    long count() {
        return restored.get();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    }
}

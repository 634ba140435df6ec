package dev.sluice.bench;

import org.apache.kafka.streams.Topology;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;

/**
 * The untimed first pass of a shape: both versions run at once (one per core, to keep --quick short),
 * keeping their output rows for the comparison. Their live heaps are told apart by measuring twice
 * just before the final record: once with both drivers open, and once more after the hand-written
 * one has closed.
 */
record CheckPass(TtdRun.Result sluice, TtdRun.Result hand, long sluiceHeap, long handHeap) {

    static CheckPass run(Topology sluiceTopology, Topology handTopology, InputGenerator.Inputs inputs, String name,
                         ExecutorService pool) {
        long base = TtdRun.heapAfterGc();
        long[] both = new long[1];
        long[] sluiceAlone = new long[1];
        CyclicBarrier atFinalRecord = new CyclicBarrier(2, () -> both[0] = TtdRun.heapAfterGc());
        CountDownLatch handClosed = new CountDownLatch(1);
        CompletableFuture<TtdRun.Result> sluice = CompletableFuture.supplyAsync(() -> guarded(atFinalRecord,
                () -> TtdRun.run(sluiceTopology, inputs, name + "-sluice", true, () -> {
                    await(atFinalRecord);
                    try {
                        handClosed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    sluiceAlone[0] = TtdRun.heapAfterGc();
                })), pool);
        CompletableFuture<TtdRun.Result> hand = CompletableFuture.supplyAsync(() -> {
            try {
                return guarded(atFinalRecord,
                        () -> TtdRun.run(handTopology, inputs, name + "-hand", true, () -> await(atFinalRecord)));
            } finally {
                handClosed.countDown();
            }
        }, pool);
        TtdRun.Result s = sluice.join();
        TtdRun.Result h = hand.join();
        return new CheckPass(s, h, sluiceAlone[0] - base, both[0] - sluiceAlone[0]);
    }

    /** A run that fails breaks the barrier, so the other run fails too instead of waiting forever. */
    private static TtdRun.Result guarded(CyclicBarrier barrier, java.util.function.Supplier<TtdRun.Result> run) {
        try {
            return run.get();
        } catch (RuntimeException | Error e) {
            barrier.reset();
            throw e;
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("the other version's run failed", e);
        }
    }
}

package dev.sluice.serdes.binary;

/**
 * One reusable {@link ByteArrayDataOutput} per thread for encoders that copy their result out
 * ({@link ByteArrayDataOutput#copyBytes}): a stream thread encodes every record's rows, keys and
 * states, and a fresh growable buffer per encoding (grown by doubling, then trimmed) was most of the
 * bytes it allocated. Taking the buffer leaves the thread's slot empty until it is given back, so an
 * encoder that runs inside another (an accumulator writing a row) gets a fresh buffer instead of
 * overwriting the outer one. Serdes are shared by the tasks of all stream threads, so the buffer is
 * per thread, not per serde.
 */
public final class ScratchOutput {
    /** A buffer grown beyond this by one large value is not kept, so a thread never holds much. */
    private static final int MAX_KEPT = 64 * 1024;
    private static final ThreadLocal<ByteArrayDataOutput[]> FREE = ThreadLocal.withInitial(() -> new ByteArrayDataOutput[1]);

    private ScratchOutput() {
    }

    /** The thread's buffer, emptied, or a new one when it is in use; give it back with {@link #give}. */
    public static ByteArrayDataOutput take() {
        ByteArrayDataOutput[] slot = FREE.get();
        ByteArrayDataOutput out = slot[0];
        if (out == null) {
            return new ByteArrayDataOutput(256);
        }
        slot[0] = null;
        out.reset();
        return out;
    }

    /** Returns a buffer from {@link #take} for the thread's next encoding (not used by the caller after this). */
    public static void give(ByteArrayDataOutput out) {
        if (out.capacity() <= MAX_KEPT) {
            FREE.get()[0] = out;
        }
    }
}

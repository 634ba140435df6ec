package dev.sluice.runtime.operator;

/**
 * The value of a {@code <step>-distinct-store} entry in state format 22 ({@link DistinctValues}
 * without a window): bit i set when call i has seen the entry's argument values, written as the
 * mask's bytes, least significant first, without trailing zero bytes (q16's calls 7–14: two bytes).
 */
final class CallBits {
    private CallBits() {
    }

    /** The mask {@code stored} holds; 0 for no entry. */
    static long read(byte[] stored) {
        if (stored == null) {
            return 0L;
        }
        long bits = 0L;
        for (int i = 0; i < stored.length; i++) {
            bits |= (stored[i] & 0xFFL) << (8 * i);
        }
        return bits;
    }

    /** The bytes of a mask with some bit set. */
    static byte[] write(long bits) {
        int length = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(bits) + 7) / 8);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (bits >>> (8 * i));
        }
        return out;
    }
}

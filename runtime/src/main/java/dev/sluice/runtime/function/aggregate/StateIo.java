package dev.sluice.runtime.function.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Small encodings shared by accumulators: counts are usually tiny, so they are written as varints. */
public final class StateIo {
    private StateIo() {
    }

    /** Unsigned LEB128: 1 byte below 128, at most 10 bytes. Negative values are not expected. */
    public static void writeVarLong(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    public static long readVarLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed varint in accumulator state");
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        writeVarLong(out, bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[(int) readVarLong(in)];
        in.readFully(bytes);
        return bytes;
    }
}

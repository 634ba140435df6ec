package dev.sluice.serdes.binary;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A growable byte array written through {@link DataOutput}, with the same bytes as
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream}. It exists for speed: those two
 * synchronize on every byte (writeInt is four locked calls), and state and internal-topic encoding
 * runs on every record.
 */
public final class ByteArrayDataOutput implements DataOutput {
    private byte[] buf;
    private int size;

    public ByteArrayDataOutput(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        int need = size + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    /**
     * The bytes written so far, as an array of exactly that length: the buffer itself when it is
     * exactly full, else a trimmed copy. A full buffer is never written again: a later write grows
     * it into a new array first.
     */
    public byte[] toByteArray() {
        if (size == buf.length) {
            return buf;
        }
        return Arrays.copyOf(buf, size);
    }

    public int size() {
        return size;
    }

    /** The bytes written so far, always a new array of exactly that length (the buffer stays this output's). */
    public byte[] copyBytes() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * The bytes written so far as an input, without copying them: valid until this output is
     * written again or reset.
     */
    public ByteArrayDataInput readBack() {
        return new ByteArrayDataInput(buf, 0, size);
    }

    /** Forgets what was written, keeping the buffer: the next write starts at offset 0. */
    public void reset() {
        size = 0;
    }

    /** The buffer's length: how much can be written before it grows. */
    int capacity() {
        return buf.length;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /**
     * {@code s} as its UTF-8 length (an int) and bytes, the bytes {@code writeInt(b.length); write(b)}
     * with {@code b = s.getBytes(UTF_8)} gives, without that intermediate array when {@code s} is
     * ASCII (most keys and names): its chars are written straight into the buffer.
     */
    public void writeUtf8WithLength(String s) {
        int length = s.length();
        ensure(Integer.BYTES + length);
        int start = size;
        writeInt(length);
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) { // UTF-8 takes more than one byte for it: encode the usual way
                size = start;
                byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                writeInt(utf8.length);
                write(utf8);
                return;
            }
            buf[size + i] = (byte) c;
        }
        size += length;
    }

    /** Rare here: delegated to DataOutputStream's modified UTF-8, so the bytes are the same. */
    @Override
    public void writeUTF(String s) throws IOException {
        java.io.ByteArrayOutputStream tmp = new java.io.ByteArrayOutputStream(s.length() + 2);
        new DataOutputStream(tmp).writeUTF(s);
        write(tmp.toByteArray());
    }
}

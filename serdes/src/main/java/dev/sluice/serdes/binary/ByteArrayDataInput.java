package dev.sluice.serdes.binary;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * {@link DataInput} over a byte array range, reading what {@link ByteArrayDataOutput} (or
 * {@code DataOutputStream}) wrote. Unsynchronized, unlike {@code DataInputStream} over a
 * {@code ByteArrayInputStream}, which locks on every read; running past the end throws
 * {@link EOFException} as they do.
 */
public final class ByteArrayDataInput implements DataInput {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteArrayDataInput(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public ByteArrayDataInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Bytes not read yet. */
    public int available() {
        return end - pos;
    }

    private void need(int n) throws EOFException {
        if (n < 0 || end - pos < n) {
            throw new EOFException();
        }
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        need(len);
        System.arraycopy(buf, pos, b, off, len);
        pos += len;
    }

    /** The next {@code length} bytes decoded as UTF-8, without copying them out first. */
    public String readUtf8(int length) throws EOFException {
        need(length);
        String s = new String(buf, pos, length, java.nio.charset.StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, end - pos));
        pos += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readUnsignedByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        need(1);
        return buf[pos++];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        return (short) readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        need(2);
        int v = (buf[pos] & 0xFF) << 8 | buf[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | buf[pos + 3] & 0xFF;
        pos += 4;
        return v;
    }

    @Override
    public long readLong() throws IOException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | buf[pos++] & 0xFF;
        }
        return v;
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("readLine: not a text format");
    }

    /** Rare here: delegated to DataInputStream's modified UTF-8. */
    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}

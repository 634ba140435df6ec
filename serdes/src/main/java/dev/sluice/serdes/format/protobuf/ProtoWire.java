package dev.sluice.serdes.format.protobuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Protocol Buffers wire encoding (protobuf.dev, "Encoding"): base-128 varints, ZigZag for the
 * {@code sint} types, little-endian fixed32/fixed64, and length-delimited bytes. A field is a tag
 * ({@code number << 3 | wireType}) followed by its payload.
 */
final class ProtoWire {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    private ProtoWire() {
    }

    /** Appends protobuf wire values to a growing buffer. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

        void tag(int number, int wireType) {
            varint(((long) number << 3) | wireType);
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                bytes.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            bytes.write((int) v);
        }

        void fixed32(int v) {
            for (int i = 0; i < 4; i++) {
                bytes.write(v >>> (8 * i));
            }
        }

        void fixed64(long v) {
            for (int i = 0; i < 8; i++) {
                bytes.write((int) (v >>> (8 * i)));
            }
        }

        void lengthDelimited(byte[] payload) {
            varint(payload.length);
            bytes.write(payload, 0, payload.length);
        }

        void string(String s) {
            lengthDelimited(s.getBytes(StandardCharsets.UTF_8));
        }

        void raw(byte[] b) {
            bytes.write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Reads protobuf wire values from a slice of an array; a short or malformed input throws {@link ProtoException}. */
    static final class In {
        private final byte[] data;
        private int pos;
        private final int limit;

        In(byte[] data, int offset, int length) {
            this.data = data;
            this.pos = offset;
            this.limit = offset + length;
        }

        boolean atEnd() {
            return pos >= limit;
        }

        int position() {
            return pos;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) {
                    throw new ProtoException("truncated varint at byte " + pos);
                }
                byte b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new ProtoException("varint longer than 10 bytes at byte " + pos);
        }

        int fixed32() {
            need(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (data[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        long fixed64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (data[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        /** A length-delimited payload as a reader over its bytes. */
        In lengthDelimited() {
            int length = length();
            In sub = new In(data, pos, length);
            pos += length;
            return sub;
        }

        byte[] bytes() {
            int length = length();
            byte[] out = new byte[length];
            System.arraycopy(data, pos, out, 0, length);
            pos += length;
            return out;
        }

        String string() {
            int length = length();
            String s = new String(data, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case I64 -> {
                    need(8);
                    pos += 8;
                }
                case LEN -> {
                    int length = length(); // read first: length() moves pos past the varint
                    pos += length;
                }
                case I32 -> {
                    need(4);
                    pos += 4;
                }
                default -> throw new ProtoException("unsupported wire type " + wireType + " at byte " + pos
                        + " (groups are not read)");
            }
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > limit - pos) {
                throw new ProtoException("length " + length + " at byte " + pos + " runs past the end of the message ("
                        + (limit - pos) + " bytes left)");
            }
            return (int) length;
        }

        private void need(int n) {
            if (limit - pos < n) {
                throw new ProtoException("truncated: " + n + " bytes needed at byte " + pos + ", " + (limit - pos) + " left");
            }
        }
    }

    static long zigZag64(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int zigZag32(int v) {
        return (v << 1) ^ (v >> 31);
    }

    static long unZigZag64(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static int unZigZag32(int v) {
        return (v >>> 1) ^ -(v & 1);
    }
}

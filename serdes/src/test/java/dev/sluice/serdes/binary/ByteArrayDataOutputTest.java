package dev.sluice.serdes.binary;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteArrayDataOutputTest {

    private static void writeEverything(DataOutput out) throws IOException {
        out.writeByte(1);
        out.writeBoolean(true);
        out.writeShort(-2);
        out.writeChar('é');
        out.writeInt(0x01020304);
        out.writeInt(-1);
        out.writeLong(Long.MIN_VALUE + 5);
        out.writeFloat(1.5f);
        out.writeDouble(-0.1);
        out.write(new byte[] {9, 8, 7}, 1, 2);
        out.writeUTF("naïve ∑");
    }

    @Test
    void writesTheSameBytesAsDataOutputStream() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeEverything(new DataOutputStream(expected));
        ByteArrayDataOutput actual = new ByteArrayDataOutput(1); // grows from the smallest buffer
        writeEverything(actual);
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void readsBackWhatWasWrittenAndThenSignalsTheEnd() throws IOException {
        ByteArrayDataOutput out = new ByteArrayDataOutput(8);
        writeEverything(out);
        byte[] bytes = out.toByteArray();
        ByteArrayDataInput in = new ByteArrayDataInput(bytes);
        assertEquals(1, in.readByte());
        assertEquals(true, in.readBoolean());
        assertEquals(-2, in.readShort());
        assertEquals('é', in.readChar());
        assertEquals(0x01020304, in.readInt());
        assertEquals(-1, in.readInt());
        assertEquals(Long.MIN_VALUE + 5, in.readLong());
        assertEquals(1.5f, in.readFloat());
        assertEquals(-0.1, in.readDouble());
        byte[] two = new byte[2];
        in.readFully(two);
        assertArrayEquals(new byte[] {8, 7}, two);
        assertEquals("naïve ∑", in.readUTF());
        assertEquals(0, in.available());
        assertThrows(EOFException.class, in::readInt);
    }

    @Test
    void readsOnlyItsRangeOfTheArray() throws IOException {
        ByteArrayDataInput in = new ByteArrayDataInput(new byte[] {1, 0, 0, 0, 2, 3}, 1, 4);
        assertEquals(2, in.readInt());
        assertThrows(EOFException.class, in::readByte);
    }

    @Test
    void writesAStringAsItsUtf8LengthAndBytesAndReadsItBack() throws IOException {
        for (String s : new String[] {"", "bid", "channel-1234 https://www.nexmark.com/abc", "naïve", "∑ ok",
                "emoji \uD83D\uDE00", "\u007F\u0080", "x".repeat(300)}) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(expected);
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            data.writeByte(7);
            data.writeInt(utf8.length);
            data.write(utf8);
            ByteArrayDataOutput actual = new ByteArrayDataOutput(1);
            actual.writeByte(7);
            actual.writeUtf8WithLength(s);
            byte[] bytes = actual.toByteArray();
            assertArrayEquals(expected.toByteArray(), bytes, s);
            ByteArrayDataInput in = new ByteArrayDataInput(bytes, 1, bytes.length - 1);
            assertEquals(s, in.readUtf8(in.readInt()));
            assertEquals(0, in.available());
        }
    }

    @Test
    void anExactlyFullBufferIsReturnedAndLaterWritesDoNotChangeIt() {
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        for (int i = 0; i < 16; i++) {
            out.writeByte(i);
        }
        byte[] full = out.toByteArray();
        out.writeByte(99);
        assertEquals(16, full.length);
        assertEquals(15, full[15]);
        assertEquals(17, out.toByteArray().length);
    }
}

package dev.sluice.bench;

import org.apache.kafka.streams.test.TestRecord;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Output rows of a checking run, kept in a temp file rather than on the heap, so that the heap
 * measured during the run is the topology's and not the benchmark's.
 */
public final class RowSpool {
    private final Path file;
    private final DataOutputStream out;

    private RowSpool(Path file, DataOutputStream out) {
        this.file = file;
        this.out = out;
    }

    static RowSpool create() {
        try {
            Path file = Files.createTempFile("sluice-bench-rows-", ".bin");
            return new RowSpool(file, new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(List<TestRecord<byte[], byte[]>> records) {
        try {
            for (TestRecord<byte[], byte[]> r : records) {
                writeBytes(r.key());
                writeBytes(r.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeBytes(byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    void finish() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<TestRecord<byte[], byte[]>> readAll() {
        List<TestRecord<byte[], byte[]>> rows = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                byte[] key;
                try {
                    key = readBytes(in);
                } catch (EOFException end) {
                    return rows;
                }
                rows.add(new TestRecord<>(key, readBytes(in)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file
        }
    }
}

package org.convinit.io.internal.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming writer of STORED zip entries, laid out as torch's writer does: each entry's data
 * aligned to 64 bytes by an "FB" padding extra field in the local header, real sizes and CRC in
 * the local header (no data descriptors), zip64 extras where a size or offset needs them, and a
 * zip64 end record plus locator always written before the classic end record.
 */
public final class ZipWriter {
    /** Produces an entry's bytes; called twice (once for the CRC, once to write), must give the same bytes. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Written(byte[] name, long size, int crc, long offset) {}

    private final OutputStream out;
    private final int alignment;
    private long pos;
    private final List<Written> written = new ArrayList<>();

    public ZipWriter(OutputStream out, int alignment) {
        this.out = out;
        this.alignment = alignment;
    }

    public void add(String name, byte[] data) throws IOException {
        add(name, data.length, o -> o.write(data));
    }

    /** Adds a stored entry of {@code size} bytes produced by {@code content}. */
    public void add(String name, long size, Content content) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long[] count = {0};
        content.writeTo(new OutputStream() {
            @Override public void write(int b) { crc.update(b); count[0]++; }
            @Override public void write(byte[] b, int off, int len) { crc.update(b, off, len); count[0] += len; }
        });
        if (count[0] != size) throw new IllegalStateException("entry " + name + " produced " + count[0] + " bytes, declared " + size);
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        boolean z64 = size >= 0xFFFFFFFFL;
        int z64Len = z64 ? 4 + 16 : 0;
        long start = pos + 30 + nm.length + z64Len + 4;
        int pad = alignment <= 1 ? 0 : (int) ((alignment - start % alignment) % alignment);
        ByteBuffer h = ByteBuffer.allocate(30 + nm.length + z64Len + 4 + pad).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x04034b50).putShort((short) (z64 ? 45 : 20)).putShort((short) 0x0800).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue())
                .putInt(z64 ? -1 : (int) size).putInt(z64 ? -1 : (int) size)
                .putShort((short) nm.length).putShort((short) (z64Len + 4 + pad)).put(nm);
        if (z64) h.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        h.putShort((short) 0x4246).putShort((short) pad);
        for (int i = 0; i < pad; i++) h.put((byte) 'Z');
        written.add(new Written(nm, size, (int) crc.getValue(), pos));
        out.write(h.array());
        pos += h.capacity();
        long[] wrote = {0};
        content.writeTo(new OutputStream() {
            @Override public void write(int b) throws IOException { out.write(b); wrote[0]++; }
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); wrote[0] += len; }
        });
        if (wrote[0] != size) throw new IllegalStateException("entry " + name + " changed size between passes");
        pos += size;
    }

    /** Writes the central directory and end records. Does not close the stream. */
    public void finish() throws IOException {
        long cdStart = pos;
        for (Written w : written) {
            boolean bigSize = w.size() >= 0xFFFFFFFFL;
            boolean bigOff = w.offset() >= 0xFFFFFFFFL;
            int z64Len = (bigSize || bigOff) ? 4 + (bigSize ? 16 : 0) + (bigOff ? 8 : 0) : 0;
            ByteBuffer c = ByteBuffer.allocate(46 + w.name().length + z64Len).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(0x02014b50).putShort((short) (z64Len > 0 ? 45 : 20)).putShort((short) (z64Len > 0 ? 45 : 20))
                    .putShort((short) 0x0800).putShort((short) 0).putShort((short) 0).putShort((short) 0x21)
                    .putInt(w.crc()).putInt(bigSize ? -1 : (int) w.size()).putInt(bigSize ? -1 : (int) w.size())
                    .putShort((short) w.name().length).putShort((short) z64Len).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(bigOff ? -1 : (int) w.offset()).put(w.name());
            if (z64Len > 0) {
                c.putShort((short) 1).putShort((short) (z64Len - 4));
                if (bigSize) c.putLong(w.size()).putLong(w.size());
                if (bigOff) c.putLong(w.offset());
            }
            out.write(c.array());
            pos += c.capacity();
        }
        long cdSize = pos - cdStart;
        long z64Pos = pos;
        ByteBuffer e = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(written.size()).putLong(written.size()).putLong(cdSize).putLong(cdStart);
        e.putInt(0x07064b50).putInt(0).putLong(z64Pos).putInt(1);
        int n16 = written.size() >= 0xFFFF ? 0xFFFF : written.size();
        e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) n16).putShort((short) n16)
                .putInt(cdSize >= 0xFFFFFFFFL ? -1 : (int) cdSize).putInt(cdStart >= 0xFFFFFFFFL ? -1 : (int) cdStart)
                .putShort((short) 0);
        out.write(e.array());
        pos += e.capacity();
    }
}

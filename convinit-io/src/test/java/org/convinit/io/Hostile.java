package org.convinit.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.convinit.io.internal.zip.ZipWriter;

/** Builders for hostile files: raw pickles, torch zips around them, and zips with lying headers. */
final class Hostile {
    private Hostile() {}

    /** A pickle written opcode by opcode. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Pickle raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Pickle u32(long v) {
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').u32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Pickle global(String module, String name) {
            byte[] b = ("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            return this;
        }

        Pickle integer(long v) {
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').u32(v);
            op(0x8a, 8);
            for (int i = 0; i < 8; i++) op((int) (v >>> (8 * i)) & 0xFF);
            return this;
        }

        Pickle tuple(long... v) {
            op('(');
            for (long x : v) integer(x);
            return op('t');
        }

        /** A storage persistent id: ('storage', torch.FloatStorage, key, 'cpu', numel). */
        Pickle storage(String type, String key, long numel) {
            return op('(').str("storage").global("torch", type).str(key).str("cpu").integer(numel).op('t', 'Q');
        }

        /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
        Pickle tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(').storage(type, key, numel).integer(offset).tuple(size).tuple(stride)
                    .op(0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        byte[] stop() {
            op('.');
            return bytes();
        }
    }

    static Pickle pickle() {
        return new Pickle().op(0x80, 2);
    }

    /** {'w': tensor} over one float storage. */
    static byte[] stateDict(long numel, long offset, long[] size, long[] stride) {
        return pickle().op('}').str("w").tensor("FloatStorage", "0", numel, offset, size, stride).op('s').stop();
    }

    /** A torch zip: archive/data.pkl, archive/data/KEY..., archive/version. */
    static byte[] pth(byte[] pickle, Map<String, byte[]> storages) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            ZipWriter zw = new ZipWriter(bo, 64);
            zw.add("archive/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) zw.add("archive/data/" + e.getKey(), e.getValue());
            zw.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zw.finish();
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] floats(int n) {
        return new byte[4 * n];
    }

    /** One entry of a hand-made zip: its data as written and what the central directory claims. */
    record RawEntry(String name, byte[] data, int method, long claimedSize, long claimedCompressed) {
        static RawEntry stored(String name, byte[] data) {
            return new RawEntry(name, data, 0, data.length, data.length);
        }

        static RawEntry deflated(String name, byte[] content, long claimedSize) {
            Deflater d = new Deflater(9, true);
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) bo.write(buf, 0, d.deflate(buf));
            d.end();
            byte[] c = bo.toByteArray();
            return new RawEntry(name, c, 8, claimedSize, c.length);
        }
    }

    /** A zip whose central directory says what the entries claim, with zip64 sizes. */
    static byte[] rawZip(RawEntry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[entries.length];
        for (int i = 0; i < entries.length; i++) {
            RawEntry e = entries[i];
            offsets[i] = out.size();
            byte[] nm = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = ByteBuffer.allocate(30 + nm.length).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) e.method()).putInt(0)
                    .putInt(0).putInt(e.data().length).putInt(0).putShort((short) nm.length).putShort((short) 0).put(nm);
            out.write(h.array(), 0, h.capacity());
            out.write(e.data(), 0, e.data().length);
        }
        long cd = out.size();
        for (int i = 0; i < entries.length; i++) {
            RawEntry e = entries[i];
            byte[] nm = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer c = ByteBuffer.allocate(46 + nm.length + 20).order(ByteOrder.LITTLE_ENDIAN);
            CRC32 crc = new CRC32();
            crc.update(e.data());
            c.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0x0800).putShort((short) e.method())
                    .putInt(0).putInt((int) crc.getValue()).putInt(-1).putInt(-1).putShort((short) nm.length).putShort((short) 20)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offsets[i]).put(nm)
                    .putShort((short) 1).putShort((short) 16).putLong(e.claimedSize()).putLong(e.claimedCompressed());
            out.write(c.array(), 0, c.capacity());
        }
        long cdSize = out.size() - cd;
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.length).putShort((short) entries.length)
                .putInt((int) cdSize).putInt((int) cd).putShort((short) 0);
        out.write(end.array(), 0, 22);
        return out.toByteArray();
    }

    /** A legacy-format file: magic, protocol, sys_info, the object pickle, the key list, then raw storages. */
    static byte[] legacy(byte[] objectPickle, String[] keys, long[] storedNumel, byte[][] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] magic = pickle().op(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).stop();
        byte[] proto = pickle().op('M', 0xe9, 0x03).stop();
        byte[] sys = pickle().op('}').str("little_endian").op(0x88, 's').stop();
        Pickle kl = pickle().op(']', '(');
        for (String k : keys) kl.str(k);
        byte[] list = kl.op('e').stop();
        for (byte[] b : new byte[][] {magic, proto, sys, objectPickle, list}) out.write(b, 0, b.length);
        for (int i = 0; i < keys.length; i++) {
            ByteBuffer n = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(storedNumel[i]);
            out.write(n.array(), 0, 8);
            out.write(data[i], 0, data[i].length);
        }
        return out.toByteArray();
    }

    /** A legacy 6-tuple persistent id tensor. */
    static Pickle legacyTensor(Pickle p, String key, long numel, long[] size, long[] stride) {
        p.global("torch._utils", "_rebuild_tensor_v2").op('(')
                .op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(numel).op('N', 't', 'Q')
                .integer(0).tuple(size).tuple(stride).op(0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        return p;
    }
}

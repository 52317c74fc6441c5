package org.convinit.io.internal.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.HeapLimit;

/**
 * A zip archive read from its central directory, treating the file as hostile: zip64 (files and
 * entries over 4 GB), entries looked up by name, STORED and DEFLATED entries. Refused: duplicate
 * names, entries whose byte ranges overlap or run into the central directory, a local header whose
 * name differs from the central one, encrypted entries, more than {@link #MAX_ENTRIES} entries or
 * names over {@link #MAX_NAME} bytes. Inflating never produces more than the declared size, and a
 * declared size beyond deflate's maximum ratio to the compressed size is refused (zip bombs).
 *
 * <p>Integrity: when checks are on (the default) every record is checked against the CRC-32 of
 * the central directory as it is read in full ({@link #read}, or a caller's {@link #checksum} and
 * {@link #verify}), and a local header that gives a CRC must give the same one. A CRC field of 0
 * on a non-empty record is taken as "not computed" (torch >= 2.5 with {@code compute_crc32=False}
 * writes those) and is not checked. Prefix reads ({@link #readPrefix}) check nothing: they do not
 * see the whole record.
 */
public final class ZipArchive {
    public static final int MAX_ENTRIES = 1_000_000;
    public static final int MAX_NAME = 4096;
    /** Deflate cannot expand more than about 1032:1; anything claiming more is a bomb or a lie. */
    public static final long MAX_DEFLATE_RATIO = 1100;

    /**
     * One entry: where its data starts in the file and how it is stored.
     *
     * @param crc the CRC-32 the central directory declares (unsigned)
     * @param localCrc the CRC-32 the local header declares, or -1 when it gives none (0: not computed, or in a data descriptor)
     */
    public record Entry(String name, int method, long compressedSize, long size, long headerOffset, long dataOffset,
                        long crc, long localCrc) {
        public boolean stored() {
            return method == 0;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final LinkedHashMap<String, Entry> entries;
    private final boolean verify;

    private ZipArchive(Path path, FileChannel channel, LinkedHashMap<String, Entry> entries, boolean verify) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
        this.verify = verify;
    }

    /** Whether records are checked against their CRC-32 as they are read. */
    public boolean verifies() {
        return verify;
    }

    public Path path() {
        return path;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Entries in central-directory order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Entry get(String name) {
        return entries.get(name);
    }

    /** Reads the index of a zip archive, with CRC checks on (the channel stays owned by the caller). */
    public static ZipArchive open(Path path, FileChannel ch) throws CheckpointException {
        return open(path, ch, true);
    }

    /** Reads the index of a zip archive; {@code verify} turns the CRC-32 checks of records on or off. */
    public static ZipArchive open(Path path, FileChannel ch, boolean verify) throws CheckpointException {
        try {
            return parse(path, ch, verify);
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, path + ": " + e.getMessage(), e);
        }
    }

    private static CheckpointException bad(Path path, Reason r, String msg) {
        return new CheckpointException(r, path + ": " + msg);
    }

    private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) break;
        }
        b.flip();
        return b;
    }

    private static ZipArchive parse(Path path, FileChannel ch, boolean verify) throws IOException, CheckpointException {
        long size = ch.size();
        if (size < 22) throw bad(path, Reason.TRUNCATED, "zip archive of " + size + " bytes is too short for an end record");
        int tailLen = (int) Math.min(size, 22 + 65535);
        long tailStart = size - tailLen;
        ByteBuffer tail = readAt(ch, tailStart, tailLen);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == 0x06054b50 && i + 22 + (tail.getShort(i + 20) & 0xFFFF) == tailLen) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) throw bad(path, Reason.TRUNCATED, "no zip end-of-central-directory record (truncated file?)");
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        long eocdPos = tailStart + eocd;
        long cdLimit = eocdPos;
        if (eocdPos >= 20) {
            ByteBuffer loc = readAt(ch, eocdPos - 20, 20);
            if (loc.remaining() == 20 && loc.getInt(0) == 0x07064b50) {
                long z64 = loc.getLong(8);
                if (z64 < 0 || z64 > eocdPos - 20 - 56) throw bad(path, Reason.MALFORMED_HEADER, "zip64 end record offset " + z64 + " is outside the file");
                ByteBuffer r = readAt(ch, z64, 56);
                if (r.remaining() < 56 || r.getInt(0) != 0x06064b50) throw bad(path, Reason.MALFORMED_HEADER, "bad zip64 end-of-central-directory record");
                count = r.getLong(32);
                cdSize = r.getLong(40);
                cdOffset = r.getLong(48);
                cdLimit = z64;
            }
        }
        if (count < 0 || count > MAX_ENTRIES) throw bad(path, Reason.TOO_LARGE, "zip declares " + count + " entries; at most " + MAX_ENTRIES + " are accepted");
        if (cdOffset < 0 || cdSize < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset) {
            throw bad(path, Reason.TRUNCATED, "zip central directory [" + cdOffset + ", +" + cdSize + ") lies outside the file");
        }
        if (cdSize > 46L * MAX_ENTRIES + 200L * 1024 * 1024) throw bad(path, Reason.TOO_LARGE, "zip central directory of " + cdSize + " bytes");
        if (cdSize < 46 * count) throw bad(path, Reason.MALFORMED_HEADER, "zip central directory of " + cdSize + " bytes cannot hold " + count + " entries");
        ByteBuffer cd = readAt(ch, cdOffset, (int) cdSize);
        if (cd.remaining() != cdSize) throw bad(path, Reason.TRUNCATED, "zip central directory is cut short");
        LinkedHashMap<String, Entry> map = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cdSize || cd.getInt(p) != 0x02014b50) throw bad(path, Reason.MALFORMED_HEADER, "zip central directory entry " + i + " is malformed");
            int flags = cd.getShort(p + 8) & 0xFFFF;
            int method = cd.getShort(p + 10) & 0xFFFF;
            long crc = cd.getInt(p + 16) & 0xFFFFFFFFL;
            long csize = cd.getInt(p + 20) & 0xFFFFFFFFL;
            long usize = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLen = cd.getShort(p + 28) & 0xFFFF;
            int extraLen = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            long lho = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if (nameLen > MAX_NAME) throw bad(path, Reason.TOO_LARGE, "zip entry name of " + nameLen + " bytes");
            if ((long) p + 46 + nameLen + extraLen + commentLen > cdSize) throw bad(path, Reason.MALFORMED_HEADER, "zip central directory entry " + i + " runs past the directory");
            String name = utf8(path, cd, p + 46, nameLen);
            int e = p + 46 + nameLen;
            int eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = cd.getShort(e) & 0xFFFF;
                int len = cd.getShort(e + 2) & 0xFFFF;
                if (e + 4 + len > eEnd) throw bad(path, Reason.MALFORMED_HEADER, "zip extra field of '" + name + "' runs past its entry");
                if (id == 1) {
                    int q = e + 4;
                    int qEnd = q + len;
                    if (usize == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad(path, Reason.MALFORMED_HEADER, "short zip64 extra of '" + name + "'"); usize = cd.getLong(q); q += 8; }
                    if (csize == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad(path, Reason.MALFORMED_HEADER, "short zip64 extra of '" + name + "'"); csize = cd.getLong(q); q += 8; }
                    if (lho == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad(path, Reason.MALFORMED_HEADER, "short zip64 extra of '" + name + "'"); lho = cd.getLong(q); }
                }
                e += 4 + len;
            }
            p += 46 + nameLen + extraLen + commentLen;
            if ((flags & 1) != 0) throw bad(path, Reason.UNSUPPORTED_FORMAT, "zip entry '" + name + "' is encrypted");
            if (method != 0 && method != 8) throw bad(path, Reason.UNSUPPORTED_FORMAT, "zip entry '" + name + "' uses compression method " + method + " (only stored and deflated are read)");
            if (usize < 0 || csize < 0 || lho < 0) throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "' has a negative size or offset");
            if (method == 0 && usize != csize) throw bad(path, Reason.MALFORMED_HEADER, "stored zip entry '" + name + "' has size " + usize + " but compressed size " + csize);
            if (method == 8 && usize > Math.max(csize, 1) * MAX_DEFLATE_RATIO + 1024) {
                throw bad(path, Reason.TOO_LARGE, "zip entry '" + name + "' claims to inflate " + csize + " bytes to " + usize + " (beyond deflate's maximum ratio: a zip bomb?)");
            }
            if (lho > cdOffset - 30) throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "' header offset " + lho + " is outside the data area");
            ByteBuffer loc = readAt(ch, lho, 30);
            if (loc.remaining() < 30 || loc.getInt(0) != 0x04034b50) throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "' has no local header at " + lho);
            int lMethod = loc.getShort(8) & 0xFFFF;
            long localCrc = loc.getInt(14) == 0 ? -1 : loc.getInt(14) & 0xFFFFFFFFL; // 0 when deferred to a data descriptor
            if (lMethod != method) {
                throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "': local header method " + lMethod + " differs from the central directory's " + method);
            }
            int lNameLen = loc.getShort(26) & 0xFFFF;
            int lExtraLen = loc.getShort(28) & 0xFFFF;
            ByteBuffer lname = readAt(ch, lho + 30, lNameLen);
            if (lNameLen != nameLen || !lname.equals(cd.duplicate().position(p - commentLen - extraLen - nameLen).limit(p - commentLen - extraLen))) {
                throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "': local header name differs from the central directory");
            }
            long data = lho + 30 + lNameLen + lExtraLen;
            if (data > cdOffset || csize > cdOffset - data) {
                throw bad(path, Reason.MALFORMED_HEADER, "zip entry '" + name + "' data [" + data + ", +" + csize + ") runs into the central directory");
            }
            Entry en = new Entry(name, method, csize, usize, lho, data, crc, localCrc);
            if (map.put(name, en) != null) throw bad(path, Reason.DUPLICATE_KEY, "zip entry '" + name + "' appears twice");
            list.add(en);
        }
        List<Entry> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Entry::headerOffset));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1);
            Entry b = sorted.get(i);
            if (b.headerOffset() < a.dataOffset() + a.compressedSize()) {
                throw bad(path, Reason.BAD_OFFSETS, "zip entries '" + a.name() + "' and '" + b.name() + "' overlap");
            }
        }
        return new ZipArchive(path, ch, map, verify);
    }

    private static String utf8(Path path, ByteBuffer b, int pos, int len) throws CheckpointException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.duplicate().position(pos).limit(pos + len)).toString();
        } catch (CharacterCodingException e) {
            throw bad(path, Reason.MALFORMED_HEADER, "zip entry name is not valid UTF-8");
        }
    }

    /** {@link #read(Entry, long, String)} of a record whose content has no better name than its own. */
    public ByteBuffer read(Entry e, long maxSize) throws CheckpointException {
        return read(e, maxSize, null);
    }

    /**
     * The whole content of an entry, refusing more than {@code maxSize} bytes. Deflated entries are
     * inflated to exactly their declared size: more output is a bomb, less is a truncated entry. The
     * content is checked against the entry's CRC-32 (when checks are on); {@code holds} says what
     * the record holds for the message of a mismatch ({@code "tensor 'fc.weight'"}), or null.
     */
    public ByteBuffer read(Entry e, long maxSize, String holds) throws CheckpointException {
        if (e.size() > maxSize || e.size() > Integer.MAX_VALUE - 8) {
            throw bad(path, Reason.TOO_LARGE, "zip entry '" + e.name() + "' is " + e.size() + " bytes; at most " + Math.min(maxSize, Integer.MAX_VALUE - 8) + " are accepted");
        }
        try {
            return HeapLimit.guard(path, "record '" + e.name() + "'", e.size(), () -> {
                if (e.stored()) {
                    ByteBuffer b = readAt(channel, e.dataOffset(), (int) e.size());
                    if (b.remaining() != e.size()) throw bad(path, Reason.TRUNCATED, "zip entry '" + e.name() + "' is cut short");
                    return checked(e, b, holds);
                }
                return checked(e, inflate(e, (int) e.size(), (int) e.size(), holds), holds);
            });
        } catch (IOException ex) {
            throw new CheckpointException(Reason.IO, path + ": " + ex.getMessage(), ex);
        }
    }

    private ByteBuffer checked(Entry e, ByteBuffer content, String holds) throws CheckpointException {
        CRC32 crc = checksum(e);
        if (crc != null) {
            crc.update(content.duplicate());
            verify(e, crc, holds);
        }
        return content;
    }

    /**
     * A fresh CRC-32 to feed an entry's whole content to, then pass to {@link #verify}; null when
     * checks are off or the entry carries no CRC (its field is 0 on non-empty content).
     */
    public CRC32 checksum(Entry e) {
        return verify && (e.crc() != 0 || e.size() == 0) ? new CRC32() : null;
    }

    /**
     * Refuses an entry whose content (fed to {@code crc}) does not match its CRC-32, or whose local
     * header names another CRC than the central directory. No-op when {@code crc} is null.
     */
    public void verify(Entry e, CRC32 crc, String holds) throws CheckpointException {
        if (crc == null) return;
        String what = "record '" + e.name() + "'" + (holds == null ? "" : " (" + holds + ")");
        String skip = "; the file was damaged after it was written (to read it anyway, turn CRC checks off: "
                + "ReadOptions.withoutChecksums(), or --no-crc-check on the command line)";
        if (e.localCrc() >= 0 && e.localCrc() != e.crc()) {
            throw bad(path, Reason.CHECKSUM, what + " is damaged: its local header gives CRC-32 " + hex(e.localCrc())
                    + ", the central directory " + hex(e.crc()) + skip);
        }
        if (crc.getValue() != e.crc()) {
            throw bad(path, Reason.CHECKSUM, what + " is damaged: its content has CRC-32 " + hex(crc.getValue())
                    + ", the zip directory records " + hex(e.crc()) + skip);
        }
    }

    /**
     * Reads a whole entry only to check its CRC-32 (chunk by chunk for stored entries): tells a
     * damaged record from a malformed one when its content was refused. No-op when checks are off.
     */
    public void verifyWhole(Entry e, String holds) throws CheckpointException {
        CRC32 crc = checksum(e);
        if (crc == null) return;
        if (!e.stored()) {
            read(e, e.size(), holds);
            return;
        }
        try {
            for (long done = 0; done < e.size(); ) {
                ByteBuffer b = readAt(channel, e.dataOffset() + done, (int) Math.min(1 << 20, e.size() - done));
                if (!b.hasRemaining()) throw bad(path, Reason.TRUNCATED, "zip entry '" + e.name() + "' is cut short");
                done += b.remaining();
                crc.update(b);
            }
        } catch (IOException ex) {
            throw new CheckpointException(Reason.IO, path + ": " + ex.getMessage(), ex);
        }
        verify(e, crc, holds);
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }

    /** The first {@code n} bytes of a deflated entry's content (or fewer if the entry is shorter). */
    public ByteBuffer readPrefix(Entry e, int n) throws CheckpointException {
        int want = (int) Math.min(n, e.size());
        try {
            if (e.stored()) return readAt(channel, e.dataOffset(), want);
            return inflate(e, want, (int) Math.min(e.size(), Integer.MAX_VALUE - 8), null);
        } catch (IOException ex) {
            throw new CheckpointException(Reason.IO, path + ": " + ex.getMessage(), ex);
        }
    }

    private ByteBuffer inflate(Entry e, int want, int declared, String holds) throws IOException, CheckpointException {
        String entry = "zip entry '" + e.name() + "'" + (holds == null ? "" : " (" + holds + ")");
        Inflater inf = new Inflater(true);
        try {
            byte[] out = new byte[want];
            int produced = 0;
            long inPos = e.dataOffset();
            long inEnd = e.dataOffset() + e.compressedSize();
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            byte[] probe = new byte[1];
            while (produced < want) {
                if (inf.needsInput()) {
                    if (inPos >= inEnd) throw bad(path, Reason.TRUNCATED, entry + " inflates to fewer bytes than its declared " + e.size());
                    in.clear();
                    in.limit((int) Math.min(in.capacity(), inEnd - inPos));
                    int r = channel.read(in, inPos);
                    if (r <= 0) throw bad(path, Reason.TRUNCATED, entry + " is cut short");
                    inPos += r;
                    in.flip();
                    inf.setInput(in.array(), 0, in.limit());
                }
                int k = inf.inflate(out, produced, want - produced);
                produced += k;
                if (k == 0 && inf.finished()) throw bad(path, Reason.TRUNCATED, entry + " inflates to " + produced + " bytes, fewer than its declared " + e.size());
                if (k == 0 && inf.needsDictionary()) throw bad(path, Reason.MALFORMED_HEADER, entry + " needs a preset dictionary");
            }
            if (want == declared && !inf.finished()) {
                // the declared size is reached: any further output means the entry lied about its size
                while (true) {
                    if (inf.needsInput()) {
                        if (inPos >= inEnd) break;
                        in.clear();
                        in.limit((int) Math.min(in.capacity(), inEnd - inPos));
                        int r = channel.read(in, inPos);
                        if (r <= 0) break;
                        inPos += r;
                        in.flip();
                        inf.setInput(in.array(), 0, in.limit());
                    }
                    int k = inf.inflate(probe);
                    if (k > 0) throw bad(path, Reason.TOO_LARGE, entry + " inflates beyond its declared size of " + e.size() + " bytes (a zip bomb?)");
                    if (inf.finished() || inf.needsDictionary()) break;
                }
            }
            return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        } catch (DataFormatException ex) {
            throw bad(path, Reason.MALFORMED_HEADER, entry + " is not valid deflate data: " + ex.getMessage());
        } finally {
            inf.end();
        }
    }

    /** Entry names, unmodifiable, in central-directory order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /** Convenience for callers: the entries as an unmodifiable map. */
    public Map<String, Entry> byName() {
        return Collections.unmodifiableMap(entries);
    }
}

package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.Hostile.RawEntry;
import org.convinit.io.internal.pickle.PickleReader;
import org.convinit.io.numpy.Npy;
import org.convinit.io.numpy.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every attack from the reference notes (§8): each file is refused with its reason, before any
 * large allocation. (The safetensors attacks are in SafeTensorsTest.)
 */
class HostileCorpusTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private void refused(Path f, Reason reason, String fragment) {
        assertThatThrownBy(() -> Checkpoints.readTensors(f)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(fragment);
        });
    }

    private void refusedPth(String name, byte[] pickle, Map<String, byte[]> storages, Reason reason, String fragment) throws Exception {
        refused(file(name + ".pth", Hostile.pth(pickle, storages)), reason, fragment);
    }

    @Test
    void validBaselineLoads() throws Exception {
        Path f = file("ok.pth", Hostile.pth(Hostile.stateDict(6, 0, new long[] {2, 3}, new long[] {3, 1}), Map.of("0", Hostile.floats(6))));
        assertThat(Checkpoints.readTensors(f).get("w").shape().toArray()).containsExactly(2, 3);
    }

    @Test
    void osSystemAndEvalGlobalsAreRefusedAndAllNamed() throws Exception {
        byte[] p = Hostile.pickle().op(']', '(').global("os", "system").str("touch /tmp/pwned").op(0x85, 'R')
                .global("builtins", "eval").str("__import__('os')").op(0x85, 'R').global("posix", "system").str("id").op(0x85, 'R')
                .op('e').stop();
        refusedPth("ace", p, Map.of(), Reason.UNSAFE, "pickle references globals outside the allow-list: os.system, builtins.eval, posix.system");
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void wholeModulePicklesAreRefused() throws Exception {
        byte[] p = Hostile.pickle().global("torch.nn.modules.conv", "Conv2d").op(')', 0x81).op('}').op('b').stop();
        refusedPth("module", p, Map.of(), Reason.UNSAFE, "torch.nn.modules.conv.Conv2d (only tensors, storages and plain containers are loaded;"
                + " nothing is executed). This looks like a pickled nn.Module: in Python, save model.state_dict() instead");
    }

    @Test
    void reduceOnANonCallableGlobalIsRefused() throws Exception {
        byte[] p = Hostile.pickle().global("torch", "FloatStorage").op(')', 'R').stop();
        refusedPth("reduce", p, Map.of(), Reason.UNSAFE, "REDUCE calls torch.FloatStorage, which is not a callable constructor");
    }

    @Test
    void opcodesOutsideTheAllowListAreRefused() throws Exception {
        refusedPth("inst", Hostile.pickle().op('i').raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII)).stop(), Map.of(),
                Reason.UNSAFE, "pickle opcode 0x69 ('i') at byte 2 is not allowed in a checkpoint");
        refusedPth("ext", Hostile.pickle().op(0x82, 1).stop(), Map.of(), Reason.UNSAFE, "pickle opcode 0x82");
    }

    @Test
    void setItemOnAListAndAppendOnADictAreRefused() throws Exception {
        refusedPth("setitem", Hostile.pickle().op(']').str("k").str("v").op('s').stop(), Map.of(), Reason.UNSAFE,
                "SETITEM on a list (only dicts accept SETITEM)");
        refusedPth("append", Hostile.pickle().op('}').str("v").op('a').stop(), Map.of(), Reason.UNSAFE,
                "APPEND on a dict (only lists accept APPEND)");
        refusedPth("settuple", Hostile.pickle().op(')').str("k").str("v").op('s').stop(), Map.of(), Reason.UNSAFE,
                "SETITEM on a tuple");
    }

    @Test
    void storageShorterOrLongerThanDeclaredIsRefused() throws Exception {
        byte[] p = Hostile.stateDict(6, 0, new long[] {6}, new long[] {1});
        refusedPth("short", p, Map.of("0", Hostile.floats(5)), Reason.TRUNCATED,
                "storage '0' declares 6 FloatStorage elements (24 bytes) but its record holds 20 bytes");
        refusedPth("long", p, Map.of("0", Hostile.floats(7)), Reason.BAD_SHAPE, "but its record holds 28 bytes");
        refusedPth("missing", p, Map.of(), Reason.MISSING_KEY, "storage record archive/data/0 is missing");
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws Exception {
        refusedPth("view", Hostile.stateDict(6, 1, new long[] {2, 3}, new long[] {3, 1}), Map.of("0", Hostile.floats(6)), Reason.BAD_SHAPE,
                "tensor of size [2, 3], stride [3, 1] at offset 1 reaches element 6 of storage '0', which holds 6 elements");
        refusedPth("stride", Hostile.stateDict(6, 0, new long[] {2, 3}, new long[] {4, 1}), Map.of("0", Hostile.floats(6)), Reason.BAD_SHAPE,
                "reaches element 6");
        refusedPth("negative", Hostile.stateDict(6, 0, new long[] {2, 3}, new long[] {-3, 1}), Map.of("0", Hostile.floats(6)), Reason.BAD_SHAPE,
                "has a negative entry");
        refusedPth("emptyoff", Hostile.stateDict(6, 7, new long[] {0}, new long[] {1}), Map.of("0", Hostile.floats(6)), Reason.BAD_SHAPE,
                "reaches element 7");
        refusedPth("overflow", Hostile.stateDict(6, 0, new long[] {2, 2}, new long[] {Long.MAX_VALUE / 2, 1}), Map.of("0", Hostile.floats(6)),
                Reason.TOO_LARGE, "exceeds what convinit holds");
    }

    @Test
    void hugeDeclaredSizesAreRefusedWithoutAllocating() throws Exception {
        refusedPth("numel", Hostile.stateDict(1L << 62, 0, new long[] {1}, new long[] {1}), Map.of("0", Hostile.floats(1)), Reason.TOO_LARGE,
                "storage '0' declares 4611686018427387904 elements");
        refusedPth("numel2", Hostile.stateDict(1L << 40, 0, new long[] {1}, new long[] {1}), Map.of("0", Hostile.floats(1)), Reason.TRUNCATED,
                "declares 1099511627776 FloatStorage elements (4398046511104 bytes) but its record holds 4 bytes");
        byte[] str = Hostile.pickle().op('X').u32(0x7FFFFFF0L).op('a', 'b').bytes();
        refusedPth("binunicode", str, Map.of(), Reason.TRUNCATED, "pickle declares 2147483632 bytes but only 2 remain");
        byte[] str2 = Hostile.pickle().op('X').u32(0xFFFFFFFFL).bytes();
        refusedPth("binunicode2", str2, Map.of(), Reason.TRUNCATED, "pickle declares 4294967295 bytes");
        byte[] long4 = Hostile.pickle().op(0x8b).u32(0x7FFFFFF0L).op(1, 2, 3).bytes();
        refusedPth("long4", long4, Map.of(), Reason.TOO_LARGE, "pickle integer of 2147483632 bytes");
        byte[] frame = Hostile.pickle().op(0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).bytes();
        refusedPth("frame", frame, Map.of(), Reason.TRUNCATED, "pickle declares 9223372036854775807 bytes");
        refusedPth("rank", Hostile.stateDict(6, 0, new long[65], new long[65]), Map.of("0", Hostile.floats(6)), Reason.TOO_LARGE, "tensor of rank 65 (at most 64)");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        Hostile.Pickle p = Hostile.pickle();
        for (int i = 0; i < 100_000; i++) p.op(']');
        for (int i = 0; i < 99_999; i++) p.op('a');
        refusedPth("deep", p.stop(), Map.of(), Reason.TOO_LARGE, "containers nested deeper than 1000");
        Hostile.Pickle marks = Hostile.pickle();
        for (int i = 0; i < 100_000; i++) marks.op('(');
        refusedPth("marks", marks.stop(), Map.of(), Reason.TOO_LARGE, "pickle MARK depth exceeds 1000");
        Hostile.Pickle tuples = Hostile.pickle().op(')');
        for (int i = 0; i < 100_000; i++) tuples.op(0x85);
        refusedPth("tuples", tuples.stop(), Map.of(), Reason.TOO_LARGE, "containers nested deeper than 1000");
    }

    @Test
    void memoAbuseIsRefused() throws Exception {
        refusedPth("memoget", Hostile.pickle().op('j').u32(12345).stop(), Map.of(), Reason.MALFORMED_HEADER,
                "pickle reads memo entry 12345 that was never stored");
        // a billion-laughs DAG: 64 levels of a list holding the previous level twice expands to 2^64 leaves
        Hostile.Pickle p = Hostile.pickle().op(']', 'r').u32(0);
        for (int i = 1; i <= 64; i++) p.op(']', '(', 'j').u32(i - 1).op('j').u32(i - 1).op('e', 'r').u32(i);
        p.op('}').str("t").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s');
        // root: [laughs, {'t': tensor}]
        byte[] body = p.bytes();
        byte[] root = Hostile.pickle().op(']', '(').raw(Arrays.copyOfRange(body, 2, body.length)).op('e').stop();
        refusedPth("laughs", root, Map.of("0", Hostile.floats(1)), Reason.TOO_LARGE, "checkpoint expands to more than 5000000 values");
        // a list that holds itself
        refusedPth("cycle", Hostile.pickle().op(']', 'q', 0, 'h', 0, 'a').stop(), Map.of(), Reason.MALFORMED_HEADER,
                "pickle contains a container that holds itself");
        // memo and object caps (small limits, to keep the test fast)
        Hostile.Pickle many = Hostile.pickle().op('N');
        for (int i = 0; i < 200; i++) many.op('r').u32(i);
        assertThatThrownBy(() -> PickleReader.load(ByteBuffer.wrap(many.stop()), pid -> null,
                new PickleReader.Limits(1000, 100, 1000, 1024, 64, 1_000_000), "memo"))
                .isInstanceOfSatisfying(CheckpointException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("memo: pickle memo exceeds 100 entries");
                });
        Hostile.Pickle objs = Hostile.pickle().op(']', '(');
        for (int i = 0; i < 2000; i++) objs.op('N');
        assertThatThrownBy(() -> PickleReader.load(ByteBuffer.wrap(objs.op('e').stop()), pid -> null,
                new PickleReader.Limits(1000, 100, 1000, 1024, 64, 1_000_000), "objs"))
                .isInstanceOfSatisfying(CheckpointException.class, e -> assertThat(e.getMessage()).isEqualTo("objs: pickle creates more than 1000 objects"));
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        byte[] ok = Hostile.pth(Hostile.stateDict(6, 0, new long[] {6}, new long[] {1}), Map.of("0", Hostile.floats(6)));
        for (int cut : new int[] {0, 3, 10, 100, ok.length / 2, ok.length - 30, ok.length - 1}) {
            Path f = file("cut" + cut + ".pth", Arrays.copyOf(ok, cut));
            assertThatThrownBy(() -> Checkpoints.readTensors(f)).as("cut at " + cut).isInstanceOf(CheckpointException.class);
        }
        refused(file("cutend.pth", Arrays.copyOf(ok, ok.length - 1)), Reason.TRUNCATED, "no zip end-of-central-directory record");
        refusedPth("nostop", Hostile.pickle().op('}').bytes(), Map.of(), Reason.TRUNCATED, "pickle ends before STOP");
        byte[] legacy = Hostile.legacy(Hostile.legacyTensor(Hostile.pickle(), "k", 4, new long[] {4}, new long[] {1}).stop(),
                new String[] {"k"}, new long[] {4}, new byte[][] {Hostile.floats(4)});
        assertThat(Checkpoints.readTensors(file("legacy.pth", legacy)).get("").numel()).isEqualTo(4);
        refused(file("legacycut.pth", Arrays.copyOf(legacy, legacy.length - 1)), Reason.TRUNCATED,
                "file ends inside storage 'k' (16 bytes declared, 15 remain)");
    }

    @Test
    void legacyFilesAreCheckedLikeZipOnes() throws Exception {
        byte[] wrongCount = Hostile.legacy(Hostile.legacyTensor(Hostile.pickle(), "k", 4, new long[] {4}, new long[] {1}).stop(),
                new String[] {"k"}, new long[] {3}, new byte[][] {Hostile.floats(3)});
        refused(file("lc.pth", wrongCount), Reason.BAD_SHAPE, "storage 'k' declares 4 elements in the pickle but 3 in the data");
        byte[] module = Hostile.legacy(Hostile.pickle().op('(').str("module").str("x").str("y").str("z").op('t', 'Q').stop(),
                new String[0], new long[0], new byte[0][]);
        refused(file("lm.pth", module), Reason.UNSAFE, "legacy whole-module pickles are refused");
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        tar[0] = 's';
        Path t = file("tar.pth", tar);
        assertThatThrownBy(() -> org.convinit.io.pth.PthReader.open(t)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
            assertThat(e.getMessage()).endsWith("pre-0.4 tar checkpoint; re-save it with a modern torch");
        });
    }

    @Test
    void zipBombsAreRefusedWithoutInflating() throws Exception {
        byte[] pkl = Hostile.stateDict(250, 0, new long[] {250}, new long[] {1});
        // claims 40 GB from a few KB: beyond deflate's maximum ratio
        refused(file("bomb.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl),
                        RawEntry.deflated("archive/data/0", new byte[1 << 20], 40L << 30),
                        RawEntry.stored("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)))),
                Reason.TOO_LARGE, "claims to inflate");
        // claims 1000 bytes (what the pickle declares) but inflates to 8 MB: stopped at 1000
        refused(file("liar.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl),
                        RawEntry.deflated("archive/data/0", new byte[8 << 20], 1000),
                        RawEntry.stored("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)))),
                Reason.TOO_LARGE, "inflates beyond its declared size of 1000 bytes");
        // npz: a .npy header declaring a 4 GB array in a small deflated entry
        byte[] head = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824,), }");
        byte[] npy = Arrays.copyOf(head, head.length + (1 << 20));
        refused(file("bomb.npz", Hostile.rawZip(RawEntry.deflated("a.npy", npy, head.length + (4L << 30)))), Reason.TOO_LARGE,
                "claims to inflate");
        refused(file("liar.npz", Hostile.rawZip(RawEntry.deflated("a.npy", npy, head.length + 64))), Reason.TOO_LARGE,
                "zip entry 'a.npy' (array 'a') inflates beyond its declared size of 192 bytes (a zip bomb?)");
        refused(file("short.npz", Hostile.rawZip(RawEntry.stored("a.npy", Arrays.copyOf(head, head.length + 64)))), Reason.TRUNCATED,
                "array of shape [1073741824] needs 4294967296 data bytes, the entry has 64");
    }

    static byte[] npyHeader(String dict) {
        int total = 10 + dict.length() + 1;
        String padded = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Test
    void zipStructureAttacksAreRefused() throws Exception {
        byte[] pkl = Hostile.stateDict(1, 0, new long[] {1}, new long[] {1});
        byte[] v = "3\n".getBytes(StandardCharsets.US_ASCII);
        refused(file("dup.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("archive/data/0", Hostile.floats(1)),
                RawEntry.stored("archive/data/0", Hostile.floats(1)), RawEntry.stored("archive/version", v))), Reason.DUPLICATE_KEY,
                "zip entry 'archive/data/0' appears twice");
        // entries whose data ranges overlap (as in overlapping-file zip bombs)
        refused(file("overlap.pth", overlapping(pkl, v)), Reason.BAD_OFFSETS,
                "zip entries 'archive/data.pkl' and 'archive/data/0' overlap");
        refused(file("prefix.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("other/data/0", Hostile.floats(1)),
                RawEntry.stored("archive/version", v))), Reason.MALFORMED_HEADER, "archive entries use two prefixes: archive/ and other/data/0");
        refused(file("noprefix.pth", Hostile.rawZip(RawEntry.stored("data.pkl", pkl))), Reason.MALFORMED_HEADER,
                "file in archive is not in a subdirectory: data.pkl");
        refused(file("nover.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("archive/data/0", Hostile.floats(1)))),
                Reason.MALFORMED_HEADER, "archive has no version record");
        refused(file("ver11.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("archive/data/0", Hostile.floats(1)),
                RawEntry.stored("archive/version", "11\n".getBytes(StandardCharsets.US_ASCII)))), Reason.UNSUPPORTED_FORMAT,
                "archive format version 11; versions 1 to 10 are read");
        refused(file("pkg.pth", Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("archive/.data/extern_modules", v),
                RawEntry.stored("archive/version", v))), Reason.UNSUPPORTED_FORMAT, "this is a torch.package archive");
    }

    /** Two central entries whose data ranges overlap: data.pkl's range also covers data/0's header. */
    private static byte[] overlapping(byte[] pkl, byte[] v) {
        byte[] z = Hostile.rawZip(RawEntry.stored("archive/data.pkl", pkl), RawEntry.stored("archive/data/0", Hostile.floats(1)),
                RawEntry.stored("archive/version", v));
        // grow data.pkl's claimed sizes (central directory, zip64 extra) to run into the next entry
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        int cd = b.getInt(z.length - 6);
        int nameLen = b.getShort(cd + 28);
        int extra = cd + 46 + nameLen + 4;
        b.putLong(extra, pkl.length + 8);
        b.putLong(extra + 8, pkl.length + 8);
        return z;
    }

    @Test
    void hostileNpyHeadersAreRefused() throws Exception {
        byte[] big = new byte[20000];
        byte[] h = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }");
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000);
        System.arraycopy(h, 0, big, 0, h.length);
        assertThatThrownBy(() -> Npy.read(file("h.npy", big))).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        byte[] eval = npyHeader("{'descr': __import__('os').system('id'), 'fortran_order': False, 'shape': (2,), }");
        assertThatThrownBy(() -> Npy.read(file("e.npy", Arrays.copyOf(eval, eval.length + 8)))).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER));
        byte[] shortData = npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }");
        assertThatThrownBy(() -> Npy.read(file("s.npy", Arrays.copyOf(shortData, shortData.length + 95)))).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(e.getMessage()).endsWith(": <f8 array of shape [3, 4] needs 96 data bytes, the file has 95");
        });
        byte[] huge = npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }");
        assertThatThrownBy(() -> Npy.read(file("o.npy", huge))).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        byte[] extraKey = npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1, }");
        assertThatThrownBy(() -> Npy.read(file("k.npy", Arrays.copyOf(extraKey, extraKey.length + 8)))).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER));
        assertThatThrownBy(() -> Npz.open(file("n.npz", Hostile.rawZip(RawEntry.stored("x.txt", new byte[3]))))).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.getMessage()).endsWith(": .npz entry is not a .npy file"));
    }

    @Test
    void sameStorageKeyWithTwoTypesIsRefused() throws Exception {
        byte[] p = Hostile.pickle().op(']', '(').tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('e').stop();
        refusedPth("twotypes", p, Map.of("0", new byte[8]), Reason.MALFORMED_HEADER, "storage '0' is declared twice, as FloatStorage[2] and LongStorage[1]");
    }
}

package org.convinit.io.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    static Map<String, Tensor> sample() {
        Generator g = new Generator(1);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("conv.weight", Tensor.empty(DType.FLOAT32, 4, 3, 3, 3).uniform_(-1, 1, g));
        m.put("conv.bias", Tensor.empty(DType.FLOAT64, 4).uniform_(-1, 1, g));
        m.put("half", Tensor.empty(DType.FLOAT16, 5).uniform_(-2, 2, g));
        m.put("bf", Tensor.empty(DType.BFLOAT16, 2, 3).uniform_(-2, 2, g));
        m.put("steps", Tensor.of(new long[] {7, -3, 1L << 40}, 3));
        m.put("flags", Tensor.full(DType.BOOL, 1, 2, 2));
        m.put("bytes", Tensor.full(DType.UINT8, 200, 3));
        m.put("scalar", Tensor.scalar(2.5));
        m.put("empty", Tensor.empty(DType.FLOAT32, 0, 3));
        return m;
    }

    @Test
    void roundTripKeepsEveryDtypeShapeAndBit() throws Exception {
        Path f = dir.resolve("a.safetensors");
        Map<String, Tensor> m = sample();
        SafeTensors.write(f, m);
        LinkedHashMap<String, Tensor> back = SafeTensors.read(f);
        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(m.keySet());
        for (String k : m.keySet()) {
            assertThat(back.get(k).dtype()).as(k).isEqualTo(m.get(k).dtype());
            assertThat(back.get(k).shape()).as(k).isEqualTo(m.get(k).shape());
            assertThat(back.get(k).toDoubleArray()).as(k).containsExactly(m.get(k).toDoubleArray());
        }
        try (SafeTensors.Reader r = SafeTensors.open(f)) {
            assertThat(r.metadata()).containsEntry("format", "pt");
            assertThat(r.tensor("conv.bias").toDoubleArray()).containsExactly(m.get("conv.bias").toDoubleArray());
        }
    }

    @Test
    void writingIsDeterministic() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        SafeTensors.write(a, sample());
        SafeTensors.write(b, sample());
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        long n = ByteBuffer.wrap(Files.readAllBytes(a)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
    }

    @Test
    void torchReadsWhatConvinitWrites() throws Exception {
        Torch.require();
        Path f = dir.resolve("t.safetensors");
        Map<String, Tensor> m = sample();
        SafeTensors.write(f, m);
        // An independent reader in Python (Debian has no safetensors package): parse the header, build
        // torch tensors with frombuffer, print name, dtype, shape and the float64 sum of each.
        String out = Torch.run(String.join("\n",
                "import json, struct, sys, torch",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "h = json.loads(b[8:8+n])",
                "T = {'F32': torch.float32, 'F64': torch.float64, 'F16': torch.float16, 'BF16': torch.bfloat16,",
                "     'I64': torch.int64, 'BOOL': torch.bool, 'U8': torch.uint8}",
                "for k, v in sorted(h.items()):",
                "    if k == '__metadata__': continue",
                "    s, e = v['data_offsets']",
                "    raw = bytearray(b[8+n+s:8+n+e])",
                "    t = torch.frombuffer(raw, dtype=T[v['dtype']]) if e > s else torch.empty(0, dtype=T[v['dtype']])",
                "    t = t.reshape(v['shape'])",
                "    print(k, str(t.dtype), list(t.shape), repr(float(t.double().sum())))"), f.toString());
        for (String line : out.strip().split("\n")) {
            String[] p = line.split(" ", 3);
            Tensor t = m.get(p[0]);
            assertThat(p[1]).isEqualTo(t.dtype().toString());
            double sum = 0;
            for (double v : t.toDoubleArray()) sum += v;
            String rest = p[2];
            assertThat(Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1))).as(p[0]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(sum))));
        }
        assertThat(out.strip().split("\n")).hasSize(m.size());
    }

    private Path raw(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static void refused(Path f, Reason reason, String fragment) {
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((CheckpointException) e).reason()).isEqualTo(reason));
    }

    @Test
    void hostileHeadersAreRefusedWithTheirReason() throws Exception {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
                "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), Reason.BAD_OFFSETS, "contiguous");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), Reason.BAD_OFFSETS, "expected 0");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), Reason.BAD_SHAPE, "need 12 bytes");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12), Reason.BAD_OFFSETS, "cover 8 data bytes");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), Reason.TRUNCATED, "cover 8 data bytes");
        refused(raw("{\"a\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), Reason.UNSUPPORTED_DTYPE, "unknown dtype 'f32'");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                Reason.DUPLICATE_KEY, "duplicate key");
        refused(raw("[]", 0), Reason.MALFORMED_HEADER, "must start with '{'");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), Reason.BAD_SHAPE, "non-negative");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}", 0), Reason.TOO_LARGE, "too large");
        refused(raw("{\"__metadata__\":{\"x\":1}}", 0), Reason.MALFORMED_HEADER, "must be a string");
        refused(raw("{} {}", 0), Reason.MALFORMED_HEADER, "trailing");
        refused(raw("{} x", 0), Reason.MALFORMED_HEADER, "not valid JSON");
        Path huge = Files.createTempFile(dir, "huge", ".safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array());
        refused(huge, Reason.TOO_LARGE, "exceeds the limit");
        Path tiny = Files.createTempFile(dir, "tiny", ".safetensors");
        Files.write(tiny, new byte[3]);
        refused(tiny, Reason.TRUNCATED, "at least 8");
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws Exception {
        Path f = dir.resolve("keep.safetensors");
        SafeTensors.write(f, sample());
        byte[] before = Files.readAllBytes(f);
        Map<String, Tensor> bad = new LinkedHashMap<>(sample());
        bad.put("__metadata__", Tensor.scalar(1));
        assertThatThrownBy(() -> SafeTensors.write(f, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }
}

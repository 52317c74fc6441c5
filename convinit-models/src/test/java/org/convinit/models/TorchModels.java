package org.convinit.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.random.Generator;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Errors;
import org.convinit.testing.Torch;

/** Runs cases through {@code torch/models_oracle.py} (one python process) and the Java side's matching helpers. */
final class TorchModels {
    /** Replies carry whole float64 tensors (a 512x512x3x3 conv is 25 MB of base64): no string length limit. */
    static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    private TorchModels() {}

    /** {@code torch.manual_seed(seed); torchvision.models.name(**kwargs)} in convinit: the same draws from a fresh generator. */
    static Module build(String name, Map<String, Object> kwargs, long seed, DType dt) {
        return Generator.withDefault(new Generator(seed), () -> Models.create(name, kwargs, dt));
    }

    static Map<String, JsonNode> run(List<Map<String, Object>> cases) {
        return Torch.runCases(JSON, TorchModels.class, "/torch/models_oracle.py", cases);
    }

    /**
     * SHA-256 of the tensor's little-endian bytes in its own dtype, as the oracle hashes them; in chunks of 2^20 values,
     * so that hashing VGG's 102M-value classifier does not copy it whole (twice) on the heap.
     */
    static String sha256(Tensor t) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Tensor flat = t.reshape(-1);
        int n = flat.size(0);
        for (int off = 0; off < n; off += 1 << 20) {
            Tensor c = flat.narrow(0, off, Math.min(1 << 20, n - off));
            ByteBuffer b;
            if (t.dtype() == DType.FLOAT32) {
                float[] v = c.toFloatArray();
                b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
            } else if (t.dtype() == DType.FLOAT64) {
                double[] v = c.toDoubleArray();
                b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(v);
            } else {
                long[] v = c.toLongArray();
                b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(v);
            }
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static Tensor dec(JsonNode n, DType dtype) {
        JsonNode s = n.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(n.get("b64").asText())).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) v[i] = b.getDouble();
        return Tensor.of(v, shape).to(dtype);
    }

    /** {@code randn(shape, generator=Generator().manual_seed(seed))}. */
    static Tensor randn(long seed, DType dt, int... shape) {
        return Tensor.empty(dt, shape).normal_(0, 1, new Generator(seed));
    }

    /** {@code sum(g · sin(0.7 i + 0.3))} over the flattened tensor, in double. */
    static double projection(Tensor g) {
        double[] v = g.toDoubleArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * Math.sin(i * 0.7 + 0.3);
        return s;
    }

    /** Max |a - e| over max |e| ({@link Errors#relError}). */
    static double relError(Tensor actual, Tensor expected) {
        return Errors.relError(actual, expected);
    }
}

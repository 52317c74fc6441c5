package org.convinit.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;

/**
 * Runs a batch of cases through {@code torch/nn_oracle.py} in one python process. Tensors travel as
 * base64 little-endian float64 (int64 for integer buffers), so both sides see the same numbers.
 */
final class TorchOracle {
    static final ObjectMapper JSON = new ObjectMapper();

    private TorchOracle() {}

    static ObjectNode enc(Tensor t) {
        ObjectNode n = Specs.J.objectNode();
        ArrayNode shape = n.putArray("shape");
        for (int d : t.shape().toArray()) shape.add(d);
        boolean integer = !t.dtype().isFloatingPoint();
        ByteBuffer b = ByteBuffer.allocate((int) t.numel() * 8).order(ByteOrder.LITTLE_ENDIAN);
        if (integer) {
            n.put("int", true);
            for (long v : t.toLongArray()) b.putLong(v);
        } else {
            for (double v : t.toDoubleArray()) b.putDouble(v);
        }
        n.put("b64", Base64.getEncoder().encodeToString(b.array()));
        return n;
    }

    static Tensor dec(JsonNode n, DType dtype) {
        int[] shape = Specs.ints(n.get("shape"));
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(n.get("b64").asText())).order(ByteOrder.LITTLE_ENDIAN);
        if (n.path("int").asBoolean(false)) {
            long[] v = new long[b.remaining() / 8];
            for (int i = 0; i < v.length; i++) v[i] = b.getLong();
            return Tensor.of(v, shape);
        }
        double[] v = new double[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) v[i] = b.getDouble();
        return Tensor.of(v, shape).to(dtype);
    }

    /** The request for one module case: its id, spec, dtype and state dict before the forward pass. */
    static ObjectNode moduleRequest(String id, ObjectNode spec, DType dtype, Module m) {
        ObjectNode req = Specs.J.objectNode();
        req.put("id", id);
        req.put("kind", "module");
        req.put("dtype", dtype.torchName());
        req.set("spec", spec);
        req.set("state", encState(m));
        return req;
    }

    static ObjectNode encState(Module m) {
        ObjectNode s = Specs.J.objectNode();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) s.set(e.getKey(), enc(e.getValue()));
        return s;
    }

    /** Runs every case (each has a unique "id"); returns the replies by id. */
    static Map<String, JsonNode> run(ArrayNode cases) {
        return Torch.runCases(JSON, TorchOracle.class, "/torch/nn_oracle.py", cases);
    }

    /** Max |a - b| over max(|b|, tiny): the error relative to the reference output's scale. */
    static double relError(Tensor actual, Tensor expected) {
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) != Double.isNaN(e[i])) return Double.POSITIVE_INFINITY;
            if (!Double.isNaN(a[i])) err = Math.max(err, Math.abs(a[i] - e[i]));
        }
        return scale == 0 ? err : err / scale;
    }

    static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
    }

    /** A random tensor (normal values, rounded to {@code dtype}) from a seeded java.util.Random. */
    static Tensor randn(java.util.Random r, DType dtype, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Tensor.of(v, shape).to(dtype);
    }
}

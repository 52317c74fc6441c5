package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.convinit.random.Generator;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** toString against torch 1.13.1's repr for the same values, layouts and dtypes. */
class TensorFormatTest {

    @Test
    void knownReprs() {
        assertThat(Tensor.vector(1, 2, 3).toString()).isEqualTo("tensor([1., 2., 3.])");
        assertThat(Tensor.vector(0.4963f, 0.7682f).toString()).isEqualTo("tensor([0.4963, 0.7682])");
        assertThat(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).toString())
                .isEqualTo("tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)");
        assertThat(Tensor.of(new long[] {1, -20}, 2).toString()).isEqualTo("tensor([  1, -20])");
        assertThat(Tensor.scalar(1.5).toString()).isEqualTo("tensor(1.5000)");
        assertThat(Tensor.empty(DType.FLOAT32, 0, 3).toString()).isEqualTo("tensor([], size=(0, 3))");
        assertThat(Tensor.empty(DType.FLOAT32, 0).toString()).isEqualTo("tensor([])");
    }

    @Test
    void matchesTorchReprOnVariedTensors() {
        Torch.require();
        Generator g = new Generator(3);
        List<Tensor> cases = new ArrayList<>();
        cases.add(Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.2, 0.2, g));
        cases.add(Tensor.empty(DType.FLOAT32, 2, 3, 4).uniform_(-100, 100, g));
        cases.add(Tensor.empty(DType.FLOAT32, 7).uniform_(-1e-5, 1e-5, g));
        cases.add(Tensor.empty(DType.FLOAT32, 40).uniform_(0, 1e9, g));
        cases.add(Tensor.empty(DType.FLOAT64, 3, 5).uniform_(-3, 3, g));
        cases.add(Tensor.empty(DType.FLOAT32, 50, 40).uniform_(-1, 1, g));
        cases.add(Tensor.empty(DType.FLOAT32, 2000).uniform_(0, 1, g));
        cases.add(Tensor.of(new float[] {0, -0f, Float.POSITIVE_INFINITY, Float.NaN, 2, -3}, 6));
        cases.add(Tensor.of(new float[] {1e-3f, 1e3f, 5f, -7f}, 2, 2));
        cases.add(Tensor.of(new float[] {0.03125f, 0.00005f, 0.5f}, 3));
        cases.add(Tensor.full(DType.FLOAT16, 0.1, 2, 2));
        cases.add(Tensor.full(DType.BFLOAT16, 3, 3));
        cases.add(Tensor.of(new long[] {5, -123456, 7, 8}, 2, 2));
        cases.add(Tensor.full(DType.BOOL, 1, 3));
        cases.add(Tensor.full(DType.UINT8, 200, 2));
        cases.add(Tensor.empty(DType.FLOAT32, 3, 0));
        cases.add(Tensor.scalar(-0.25));
        cases.add(Tensor.empty(DType.FLOAT32, 4).uniform_(-1, 1, g).requiresGrad(true));
        StringBuilder script = new StringBuilder("import torch, struct\n");
        for (Tensor t : cases) {
            Tensor d = t.to(DType.FLOAT64);
            StringBuilder vals = new StringBuilder("[");
            for (double v : d.toDoubleArray()) vals.append("float.fromhex('").append(Double.toHexString(v)).append("'),");
            vals.append(']');
            script.append("t = torch.tensor(").append(vals).append(", dtype=torch.float64).reshape(")
                    .append(t.shape().toString().replace('[', '(').replace("]", ",)").replace("(,)", "()")).append(").to(torch.")
                    .append(t.dtype().torchName()).append(")\n");
            if (t.requiresGrad()) script.append("t.requires_grad_(True)\n");
            script.append("print(repr(t)); print('@@@')\n");
        }
        String out = Torch.run(script.toString().replace("float.fromhex('Infinity')", "float('inf')")
                .replace("float.fromhex('NaN')", "float('nan')"));
        String[] reprs = out.split("@@@\n");
        assertThat(reprs).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(cases.get(i).toString()).as("case %d", i).isEqualTo(reprs[i].stripTrailing());
        }
    }
}

package org.convinit.nn.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Dropout;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.RawFloats;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LSUV: every layer's output variance within tol on the batch, recomputed by torch from the exported weights. */
class LsuvTest {
    @TempDir
    Path dir;

    static Module model() {
        Generator.manualSeed(0);
        return new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Conv2d(8, 16, 3, ConvOptions.DEFAULT.stride(2)), new ReLU(),
                new Dropout(0.5), new Flatten(), new Linear(16 * 11 * 11, 32), new ReLU(), new Linear(32, 10));
    }

    @Test
    void everyLayersVarianceIsWithinTolInConvinitAndInTorch() throws Exception {
        Torch.require();
        Module m = model();
        Tensor batch = Tensor.empty(DType.FLOAT32, 32, 1, 26, 26).uniform_(0, 1, new Generator(7)); // pixels in [0, 1]
        List<Lsuv.LayerReport> report = Lsuv.apply(m, batch, Lsuv.Options.DEFAULTS, new Generator(1));
        assertThat(m.isTraining()).isTrue(); // mode restored
        assertThat(report).extracting(Lsuv.LayerReport::name).containsExactly("0", "2", "6", "8");
        for (Lsuv.LayerReport r : report) {
            System.out.printf("lsuv layer %s: %d rescalings, variance %.4f -> %.6f%n", r.name(), r.iterations(), r.initialVariance(),
                    r.finalVariance());
            assertThat(r.converged()).as(r.name()).isTrue();
            assertThat(Math.abs(r.finalVariance() - 1)).isLessThan(0.1);
        }
        assertThat(report.get(0).iterations()).isGreaterThan(0); // the first layer's variance was far from 1 on [0,1] pixels
        List<Tensor> ts = new ArrayList<>(List.of(batch));
        for (Module sub : m.modules()) {
            if (sub instanceof WeightLayer) {
                ts.add(((WeightLayer) sub).weight());
                ts.add(((WeightLayer) sub).bias());
            }
        }
        Path f = RawFloats.write(dir, "lsuv.bin", ts);
        String py = String.join("\n",
                "import sys, numpy as np, torch, torch.nn as nn",
                "torch.manual_seed(0)",
                "m = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3, stride=2), nn.ReLU(), nn.Dropout(0.5), nn.Flatten(), "
                        + "nn.Linear(16 * 11 * 11, 32), nn.ReLU(), nn.Linear(32, 10))",
                "a = torch.from_numpy(np.fromfile(sys.argv[1], dtype='<f4'))",
                "x = a[:32*26*26].reshape(32, 1, 26, 26); off = 32*26*26",
                "var = {}",
                "with torch.no_grad():",
                "    for i in (0, 2, 6, 8):",
                "        for p in (m[i].weight, m[i].bias):",
                "            p.copy_(a[off:off+p.numel()].reshape(p.shape)); off += p.numel()",
                "        m[i].register_forward_hook(lambda mod, inp, out, i=i: var.__setitem__(i, out.var().item()))",
                "    m.eval(); m(x)",
                "print(' '.join(repr(var[i]) for i in (0, 2, 6, 8)))");
        String[] torch = Torch.run(py, f.toString()).strip().split(" ");
        for (int i = 0; i < 4; i++) {
            double v = Double.parseDouble(torch[i]);
            assertThat(Math.abs(v - 1)).as("torch: layer %s", report.get(i).name()).isLessThan(0.1);
            assertThat(v).isCloseTo(report.get(i).finalVariance(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void optionsBiasModesAndErrors() {
        Tensor batch = Tensor.empty(DType.FLOAT32, 16, 1, 26, 26).uniform_(0, 1, new Generator(7));
        Module m = model();
        List<Lsuv.LayerReport> r = Lsuv.apply(m, batch, new Lsuv.Options(0.01, 20, Lsuv.Bias.CENTER, true), new Generator(2));
        for (Lsuv.LayerReport l : r) assertThat(Math.abs(l.finalVariance() - 1)).as(l.name()).isLessThan(0.05);
        // KEEP (the Caffe script): torch's default biases stay, so one rescaling of the weight is not exact: iterations
        Module k = model();
        Tensor biasBefore = ((Linear) k.modules().get(9)).bias().clone();
        List<Lsuv.LayerReport> keep = Lsuv.apply(k, batch, new Lsuv.Options(0.02, 20, Lsuv.Bias.KEEP, true), new Generator(2));
        assertThat(((Linear) k.modules().get(9)).bias().valueEquals(biasBefore)).isTrue();
        for (Lsuv.LayerReport l : keep) {
            System.out.printf("lsuv keep-bias layer %s: %d rescalings, variance %.4f -> %.6f%n", l.name(), l.iterations(),
                    l.initialVariance(), l.finalVariance());
            assertThat(l.converged()).isTrue();
        }
        // max_iter 0: measured, never rescaled, reported as not converged
        List<Lsuv.LayerReport> none = Lsuv.apply(model(), batch, new Lsuv.Options(0.1, 0, Lsuv.Bias.ZERO, true), new Generator(2));
        assertThat(none.get(0).iterations()).isZero();
        assertThat(none.get(0).converged()).isFalse();
        assertThatThrownBy(() -> new Lsuv.Options(0, 10, Lsuv.Bias.ZERO, true)).hasMessageContaining("tol = 0.0");
        assertThatThrownBy(() -> Lsuv.Bias.parse("shift")).hasMessageContaining("'center'");
        assertThatThrownBy(() -> Lsuv.apply(model(), Tensor.zeros(DType.FLOAT32, 4, 1, 26, 26), Lsuv.Options.DEFAULTS, null))
                .hasMessageContaining("layer 0 has output variance 0.0");
        assertThatThrownBy(() -> Lsuv.apply(new Sequential(new ReLU()), batch, Lsuv.Options.DEFAULTS, null))
                .hasMessageContaining("no conv or linear layer");
    }
}

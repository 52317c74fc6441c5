package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.convinit.data.DataLoader;
import org.convinit.data.FashionMnist;
import org.convinit.data.ImageDataset;
import org.convinit.nn.Module;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.SGD;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One epoch of the real Fashion-MNIST (Debian's dataset-fashion-mnist) with the same small CNN, seed,
 * initial weights and batches in torch 1.13.1 and convinit: the loss curves agree closely. float32
 * rounding differences grow over 938 SGD steps, so the early batches are compared tightly and the
 * later ones by window averages.
 */
class FashionMnistCurveTest {
    static final String CNN = "Sequential(Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(8, 16, 3, padding=1), ReLU(), "
            + "MaxPool2d(2), Flatten(), Linear(784, 10))";

    @Test
    void oneEpochLossCurveMatchesTorch() throws Exception {
        Torch.require();
        if (!Files.isDirectory(FashionMnist.DEBIAN_DIR)) {
            String msg = "Fashion-MNIST is not installed at " + FashionMnist.DEBIAN_DIR + " (apt-get install dataset-fashion-mnist)";
            if (Boolean.getBoolean("convinit.requireTorch")) fail(msg);
            Assumptions.abort(msg);
        }
        Generator.manualSeed(0);
        Module m = Layers.build(CNN, DType.FLOAT32);
        ImageDataset train = FashionMnist.load(FashionMnist.DEBIAN_DIR, true);
        SGD opt = new SGD(m.parameters(), SGD.options(0.01).momentum(0.9));
        List<Double> mine = new ArrayList<>();
        for (ImageDataset.Batch b : new DataLoader<>(train, DataLoader.Options.of(64).shuffle(true))) {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(m.forward(b.images()), b.labels());
            loss.backward();
            opt.step();
            mine.add(loss.item());
        }
        String out = Torch.run(String.join("\n",
                "import gzip, sys, numpy as np, torch, torch.nn.functional as F",
                "from torch.nn import *",
                "torch.set_num_threads(2)",
                "def idx(p):",
                "    b = gzip.open(p).read(); nd = b[3]; dims = [int.from_bytes(b[4+4*i:8+4*i], 'big') for i in range(nd)]",
                "    return np.frombuffer(b, dtype=np.uint8, offset=4+4*nd).reshape(dims)",
                "x = torch.tensor(idx(sys.argv[1] + '/train-images-idx3-ubyte.gz'), dtype=torch.float32).div(255).unsqueeze(1)",
                "y = torch.tensor(idx(sys.argv[1] + '/train-labels-idx1-ubyte.gz'), dtype=torch.int64)",
                "torch.manual_seed(0)",
                "m = " + CNN,
                "opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)",
                "loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True)",
                "for xb, yb in loader:",
                "    opt.zero_grad(); loss = F.cross_entropy(m(xb), yb); loss.backward(); opt.step()",
                "    print(repr(loss.item()))"), FashionMnist.DEBIAN_DIR.toString());
        String[] lines = out.strip().split("\n");
        assertThat(mine).hasSize(lines.length).hasSize(938);
        double[] torch = new double[lines.length];
        for (int i = 0; i < lines.length; i++) torch[i] = Double.parseDouble(lines[i]);
        for (int i = 0; i < 50; i++) {
            assertThat(Math.abs(mine.get(i) - torch[i])).as("batch %d: convinit %s vs torch %s", i, mine.get(i), torch[i])
                    .isLessThan(1e-3 * Math.max(1, torch[i]));
        }
        for (int start = 0; start < lines.length; start += 100) {
            int end = Math.min(lines.length, start + 100);
            double a = 0;
            double b = 0;
            for (int i = start; i < end; i++) {
                a += mine.get(i);
                b += torch[i];
            }
            a /= end - start;
            b /= end - start;
            assertThat(Math.abs(a - b)).as("mean loss of batches %d-%d: convinit %s vs torch %s", start, end, a, b)
                    .isLessThan(0.02 * b);
        }
    }
}

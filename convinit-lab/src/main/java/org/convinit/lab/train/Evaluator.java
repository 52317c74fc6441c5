package org.convinit.lab.train;

import java.util.List;

import org.convinit.autograd.GradMode;
import org.convinit.data.ImageDataset;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.Adam;
import org.convinit.optim.Optimizer;
import org.convinit.optim.SGD;
import org.convinit.tensor.Tensor;

/** Test-set evaluation and the two optimizers {@code train} and {@code study} offer. */
final class Evaluator {
    private Evaluator() {}

    static TrainingLoop.Evaluation evaluate(Module m, ImageDataset test, int n) {
        m.eval();
        double loss = 0;
        long correct = 0;
        try (var g = GradMode.noGrad()) {
            for (int start = 0; start < n; start += 1000) {
                int len = Math.min(1000, n - start);
                int[] idx = new int[len];
                for (int i = 0; i < len; i++) idx[i] = start + i;
                ImageDataset.Batch b = test.batch(idx);
                Tensor logits = m.forward(ModelInput.of(m, b.images()));
                loss += Losses.crossEntropy(logits, b.labels(), Losses.Reduction.SUM, Losses.IGNORE_INDEX, 0).item();
                float[] z = logits.contiguous().toFloatArray();
                long[] y = b.labels().toLongArray();
                int c = logits.size(1);
                for (int i = 0; i < len; i++) {
                    int best = 0;
                    for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + best]) best = j;
                    if (best == y[i]) correct++;
                }
            }
        }
        return new TrainingLoop.Evaluation(loss / n, (double) correct / n);
    }

    static Optimizer<?> optimizer(OptimizerKind kind, List<Parameter> params, double lr) {
        return kind == OptimizerKind.SGD
                ? new SGD(params, SGD.options(lr).momentum(0.9))
                : new Adam(params, Adam.options().lr(lr));
    }
}

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.models.Models;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The Java side of tools/bench/models_vs_torch.py (a single-file program, run with java's source launcher on the
 * classes of convinit-core and convinit-models): builds the model with {@code manual_seed(0)}, eval mode, no grad, and
 * times forward passes on {@code randn(batch, 3, size, size)}: warm-up, then {@code reps} timed calls.
 * Threads: {@code -Dconvinit.threads=N}. Prints {@code RESULT <model> <min ms> <median ms> <sum of logits>}.
 */
public final class ModelsForward {
    public static void main(String[] args) {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        int reps = Integer.parseInt(args[4]);
        Generator.manualSeed(0);
        Module m = Models.create(model, Map.of(), DType.FLOAT32);
        m.eval();
        Tensor x = Tensor.empty(DType.FLOAT32, batch, 3, size, size).normal_(0, 1, new Generator(1));
        try (var g = GradMode.noGrad()) {
            long end = System.nanoTime() + (long) (warmup * 1e9);
            int calls = 0;
            while (System.nanoTime() < end || calls < 2) {
                m.call(x);
                calls++;
            }
            double[] ms = new double[reps];
            double sum = 0;
            for (int i = 0; i < reps; i++) {
                long a = System.nanoTime();
                Tensor y = m.call(x);
                ms[i] = (System.nanoTime() - a) / 1e6;
                sum = y.sum().item();
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "RESULT %s %.2f %.2f %.6e%n", model, ms[0], ms[reps / 2], sum);
        }
    }
}

package org.convinit.nn.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.init.Init;
import org.convinit.nn.HookHandle;
import org.convinit.nn.Module;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * Layer-sequential unit-variance init (Mishkin &amp; Matas 2016, "All you need is a good init", arXiv 1511.06422): a
 * data-dependent init of a whole model on one batch. It lives in {@code org.convinit.nn.init}, not beside the tensor
 * inits of {@code org.convinit.init}, because it needs a {@link Module} (its layers, hooks and forward pass).
 *
 * <p>Algorithm: (1) pre-init every conv and linear weight ({@link WeightLayer}, module order) with {@code orthogonal_}
 * (gain 1) and handle its bias; (2) for each such layer in module order, run the model on the batch, measure the
 * variance v of the layer's output (all elements, unbiased as torch's {@code out.var()}), and while
 * {@code |v − 1| ≥ tol} and fewer than {@code maxIter} rescalings were made, divide the weight by √v and measure again.
 * The model runs in eval mode (dropout off, batch norm on its running statistics) and under no-grad; its mode is restored.
 *
 * <p>Defaults against the three reference implementations (they disagree; the paper's Algorithm 1 gives tol and T_max):
 * <table>
 *   <caption>LSUV options in the reference implementations</caption>
 *   <tr><th></th><th>tolerance</th><th>max iterations</th><th>bias</th><th>measured</th></tr>
 *   <tr><td>Caffe (original)</td><td>variance margin 0.02</td><td>20</td><td>kept</td><td>before the in-place ReLU</td></tr>
 *   <tr><td>LSUV-pytorch</td><td>std tol 0.1</td><td>10</td><td>shifted to zero output mean</td><td>layer output</td></tr>
 *   <tr><td>lsuv 0.3.0 (pip)</td><td>std tol 0.1</td><td>10</td><td>zeroed</td><td>layer output, eval mode</td></tr>
 *   <tr><td>convinit (default)</td><td>|Var − 1| &lt; 0.1</td><td>10</td><td>zeroed ({@link Bias#ZERO})</td><td>layer output (pre-activation), eval mode</td></tr>
 * </table>
 * Note: measured at the layer's own output with zero biases, the output scales exactly with the weight, so one
 * rescaling reaches 1 up to rounding (the report shows 1 iteration per layer); several iterations happen when biases are
 * kept ({@link Bias#KEEP}, as the Caffe script) or the tolerance is below rounding.
 * Pitfalls: the result depends on the batch (record it; scale inputs to unit variance first for the first layer to start
 * near 1); a layer whose output has zero variance on the batch cannot be rescaled (an error); a layer that never reaches
 * the tolerance within {@code maxIter} is reported as not converged, not an error.
 */
public final class Lsuv {
    private Lsuv() {}

    /** What happens to biases. */
    public enum Bias {
        /** Set to zero before the rescaling (lsuv 0.3.0). */
        ZERO,
        /** Left as they are (the Caffe script). */
        KEEP,
        /**
         * Zeroed, then, per layer before its rescaling, shifted so each output channel has zero mean on the batch, and
         * rescaled with the weight (LSUV-pytorch's mean correction; so the output scales exactly).
         */
        CENTER;

        public static Bias parse(String s) {
            for (Bias b : values()) if (b.name().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) return b;
            throw new IllegalArgumentException("lsuv_: bias = '" + s + "': expected 'zero', 'keep' or 'center'");
        }
    }

    /** The options; {@link #DEFAULTS} = tol 0.1, 10 iterations, zero biases, orthonormal pre-init. */
    public record Options(double tol, int maxIter, Bias bias, boolean orthonormalPreInit) {
        public static final Options DEFAULTS = new Options(0.1, 10, Bias.ZERO, true);

        public Options {
            if (!(tol > 0)) throw new IllegalArgumentException("lsuv_: tol = " + tol + ": expected > 0");
            if (maxIter < 0) throw new IllegalArgumentException("lsuv_: max_iter = " + maxIter + ": expected >= 0");
        }
    }

    /** One layer's outcome: rescalings made, the variance before the first and after the last, whether |v − 1| &lt; tol. */
    public record LayerReport(String name, int iterations, double initialVariance, double finalVariance, boolean converged) {}

    /**
     * Runs LSUV on {@code model} with {@code batch}; random draws (the orthogonal pre-init) come from {@code generator}
     * (null: the default generator). Returns one report per conv/linear layer, in module order.
     *
     * @throws IllegalArgumentException if the model has no conv or linear layer, or the batch does not fit it
     * @throws IllegalStateException if a layer's output has zero variance on the batch
     */
    public static List<LayerReport> apply(Module model, Tensor batch, Options options, Generator generator) {
        List<Map.Entry<String, Module>> layers = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof WeightLayer) layers.add(e);
        }
        if (layers.isEmpty()) throw new IllegalArgumentException("lsuv_: the model has no conv or linear layer");
        boolean training = model.isTraining();
        List<LayerReport> out = new ArrayList<>();
        try (var g = GradMode.noGrad()) {
            model.eval();
            for (Map.Entry<String, Module> e : layers) {
                WeightLayer w = (WeightLayer) e.getValue();
                if (options.orthonormalPreInit()) Init.orthogonal(w.weight(), 1, generator);
                if (w.bias() != null && options.bias() != Bias.KEEP) w.bias().zero_();
            }
            for (Map.Entry<String, Module> e : layers) out.add(layer(model, batch, e.getKey(), e.getValue(), options));
        } finally {
            model.train(training);
        }
        return out;
    }

    private static LayerReport layer(Module model, Tensor batch, String name, Module layer, Options o) {
        Tensor[] seen = new Tensor[1];
        WeightLayer w = (WeightLayer) layer;
        try (HookHandle h = layer.registerForwardHook((m, in, output) -> {
            seen[0] = output;
            return null;
        })) {
            double v = measure(model, batch, seen, name);
            double first = v;
            boolean center = o.bias() == Bias.CENTER && w.bias() != null;
            if (center) {
                Tensor mean = seen[0].transpose(0, 1).contiguous().reshape(w.bias().size(0), -1).mean(1, false);
                w.bias().copy_(w.bias().sub(mean));
                v = measure(model, batch, seen, name);
            }
            int it = 0;
            while (Math.abs(v - 1) >= o.tol() && it < o.maxIter()) {
                double s = 1 / Math.sqrt(v);
                w.weight().mul_(s);
                if (center) w.bias().mul_(s); // keeps the zero mean: the output scales exactly
                it++;
                v = measure(model, batch, seen, name);
            }
            return new LayerReport(name, it, first, v, Math.abs(v - 1) < o.tol());
        }
    }

    private static double measure(Module model, Tensor batch, Tensor[] seen, String name) {
        seen[0] = null;
        model.call(batch);
        double v = seen[0].var().item();
        if (!(v > 0)) {
            throw new IllegalStateException("lsuv_: layer " + name + " has output variance " + v + " on the batch; it cannot be "
                    + "rescaled to 1 (a dead layer, or a constant batch)");
        }
        return v;
    }
}

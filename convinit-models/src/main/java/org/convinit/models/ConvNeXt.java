package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Flatten;
import org.convinit.nn.GELU;
import org.convinit.nn.LayerNorm;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.Sequential;
import org.convinit.nn.StochasticDepth;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ConvNeXt} tiny and small (Liu et al. 2022): patchify stem, depthwise 7x7 blocks with LayerNorm
 * over channels, an inverted MLP (GELU), layer scale and stochastic depth. Init: {@code trunc_normal_(std=0.02)} on
 * every conv and linear weight (after their default init), zero biases.
 */
public final class ConvNeXt extends Module {
    /** torchvision's keyword arguments of {@code convnext_tiny/small}; {@code stochasticDepthProb} null: the model's own. */
    public record Options(int numClasses, Double stochasticDepthProb, double layerScale) {
        public static final Options DEFAULT = new Options(1000, null, 1e-6);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        public Options numClasses(int n) {
            return new Options(n, stochasticDepthProb, layerScale);
        }

        public Options stochasticDepthProb(Double p) {
            return new Options(numClasses, p, layerScale);
        }

        public Options layerScale(double s) {
            return new Options(numClasses, stochasticDepthProb, s);
        }
    }

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    /** {@code small}: convnext_small (27 blocks in stage 3, stochastic depth 0.4), else convnext_tiny (9, 0.1). */
    public ConvNeXt(boolean small, Options o, DType dt) {
        int[][] setting = {{96, 192, 3}, {192, 384, 3}, {384, 768, small ? 27 : 9}, {768, 0, 3}};
        double sdProb = o.stochasticDepthProb() != null ? o.stochasticDepthProb() : small ? 0.4 : 0.1;
        List<Module> layers = new ArrayList<>();
        layers.add(new Sequential(Blocks.conv(3, setting[0][0], 4, 4, 0, 1, 1, true, dt), new LayerNorm2d(setting[0][0], dt)));
        int total = 0;
        for (int[] s : setting) total += s[2];
        int blockId = 0;
        for (int[] s : setting) {
            List<Module> stage = new ArrayList<>();
            for (int i = 0; i < s[2]; i++) {
                stage.add(new CNBlock(s[0], o.layerScale(), sdProb * blockId / (total - 1.0), dt));
                blockId++;
            }
            layers.add(new Sequential(stage));
            if (s[1] > 0) layers.add(new Sequential(new LayerNorm2d(s[0], dt), Blocks.conv(s[0], s[1], 2, 2, 0, 1, 1, true, dt)));
        }
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = registerModule("classifier", new Sequential(new LayerNorm2d(768, dt), new Flatten(1, -1),
                new Linear(768, o.numClasses(), true, dt, null)));
        for (Module m : modules()) {
            if (m instanceof org.convinit.nn.Conv2d) truncNormal(((org.convinit.nn.Conv2d) m).weight(), ((org.convinit.nn.Conv2d) m).bias());
            else if (m instanceof Linear) truncNormal(((Linear) m).weight(), ((Linear) m).bias());
        }
    }

    private static void truncNormal(Tensor weight, Tensor bias) {
        Init.truncNormal(weight, 0, 0.02, -2, 2, null);
        if (bias != null) Init.zeros(bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(avgpool.call(features.call(input)));
    }

    /** {@code x + stochastic_depth(layer_scale · block(x))}, block = dw 7x7, LayerNorm, Linear 4x, GELU, Linear. */
    public static final class CNBlock extends Module {
        private final Sequential block;
        private final Parameter layerScale;
        private final Module stochasticDepth;

        CNBlock(int dim, double layerScale, double sdProb, DType dt) {
            block = registerModule("block", new Sequential(Blocks.conv(dim, dim, 7, 1, 3, dim, 1, true, dt), new Permute(0, 2, 3, 1),
                    new LayerNorm(new int[] {dim}, 1e-6, true, dt), new Linear(dim, 4 * dim, true, dt, null), new GELU(),
                    new Linear(4 * dim, dim, true, dt, null), new Permute(0, 3, 1, 2)));
            this.layerScale = registerParameter("layer_scale", new Parameter(Tensor.ones(dt, dim, 1, 1).mul(layerScale)));
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(sdProb, "row"));
        }

        @Override
        public Tensor forward(Tensor input) {
            return Residual.addInPlace(stochasticDepth.call(layerScale.mul(block.call(input))), input);
        }
    }

    /** torchvision's {@code ops.Permute(dims)}: a view with the dims reordered. */
    static final class Permute extends Module {
        private final int[] dims;

        Permute(int... dims) {
            this.dims = dims.clone();
        }

        @Override
        public Tensor forward(Tensor input) {
            return input.permute(dims);
        }
    }

    /**
     * ConvNeXt's {@code LayerNorm2d} (eps 1e-6): LayerNorm over the channels of {@code [N, C, H, W]} at each position,
     * {@code (x - E_c[x]) / √(Var_c[x] + eps) · weight + bias} with the biased variance, weight ones and bias zeros.
     */
    static final class LayerNorm2d extends Module {
        private final Parameter weight;
        private final Parameter bias;

        LayerNorm2d(int channels, DType dt) {
            weight = registerParameter("weight", new Parameter(Tensor.ones(dt, channels)));
            bias = registerParameter("bias", new Parameter(Tensor.zeros(dt, channels)));
        }

        @Override
        public Tensor forward(Tensor x) {
            int c = weight.size(0);
            Tensor mean = x.mean(1, true);
            Tensor centered = x.sub(mean);
            Tensor var = centered.mul(centered).mean(1, true);
            Tensor y = centered.div(var.add(1e-6).sqrt());
            return y.mul(weight.reshape(1, c, 1, 1)).add(bias.reshape(1, c, 1, 1));
        }
    }
}
